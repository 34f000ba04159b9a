export { TemplateError } from './error.js';
export { parseTemplate, type Template } from './template.js';
export { render, renderTemplate, type DataModel } from './render.js';
export { escapeHtml } from './values.js';
