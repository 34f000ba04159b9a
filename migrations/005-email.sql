-- Email templates (FusionAuth Email Templates API): the whole template as JSON, the name for search.
CREATE TABLE email_templates (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

-- Every email Standin rendered, sent through SMTP or not, for tests to read (docs/email.md, "Outbox").
-- It holds the emailed links and codes in the clear: that is what it is for, and it is behind the control guard.
CREATE TABLE email_outbox (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  -- The recipient's address, lower-cased, for ?to=.
  to_address TEXT NOT NULL,
  -- What the email is for (forgotPassword, emailVerification, …; "template" from the Send Email API).
  type TEXT NOT NULL,
  -- none: no SMTP server configured; pending: queued or being retried; sent; failed: gave up.
  delivery TEXT NOT NULL CHECK (delivery IN ('none', 'pending', 'sent', 'failed')),
  -- from, to, cc, bcc, subject, html, text, headers, templateId, userId, links and ids, attempts, last error.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX email_outbox_to ON email_outbox (to_address, seq);
