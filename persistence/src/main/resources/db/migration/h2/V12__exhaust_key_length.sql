-- A report password is up to 256 characters (FieldLimits.ENCRYPTION_KEY), up to 3 bytes each in
-- UTF-8; sealed, it is the base64 of a 12-byte nonce, those bytes and a 16-byte tag: at most
-- 4 * ceil((12 + 768 + 16) / 3) = 1064 characters, more than VARCHAR(1000) held.
ALTER TABLE exhaust_job ALTER COLUMN encryption_key SET DATA TYPE VARCHAR(1100);
