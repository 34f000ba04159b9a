export { TemplateError } from './error.js';
export { parseTemplate, type Template } from './template.js';
export { render, renderTemplate, escapeHtml, type DataModel } from './render.js';
