CREATE TABLE IF NOT EXISTS "draft" ("id" SERIAL NOT NULL PRIMARY KEY, "login" VARCHAR(64) NOT NULL, "key" TEXT NOT NULL, "payload" TEXT NOT NULL, "updated_at" TIMESTAMP NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "draft_login_key" ON "draft" ("login", "key");
