CREATE TABLE IF NOT EXISTS "draft" ("id" INTEGER NOT NULL PRIMARY KEY, "login" VARCHAR(64) NOT NULL, "key" TEXT NOT NULL, "payload" TEXT NOT NULL, "updated_at" DATETIME NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "draft_login_key" ON "draft" ("login", "key");
