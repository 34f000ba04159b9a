-- Reserved: the number the email-verification work takes. Standin's migrations are numbered without gaps, and
-- the passwordless codes table is 007; this placeholder changes nothing and gives way to that migration.
SELECT 1;
