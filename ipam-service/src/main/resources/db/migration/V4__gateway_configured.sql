-- Whether the user gave the subnet's gateway: Docker's network inspect shows a Gateway for a
-- user-given subnet only when the user gave one too. Rows made before this were shown with it.
ALTER TABLE subnet ADD COLUMN gateway_configured boolean NOT NULL DEFAULT true;
