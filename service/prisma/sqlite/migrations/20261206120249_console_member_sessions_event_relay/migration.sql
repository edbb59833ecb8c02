-- CreateTable
CREATE TABLE "RelayedEventBatch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "origin" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ConsoleSignInLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "secretHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "memberId" TEXT,
    CONSTRAINT "ConsoleSignInLink_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "WorkspaceMember" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ConsoleSignInLink" ("createdAt", "expiresAt", "id", "secretHash", "usedAt") SELECT "createdAt", "expiresAt", "id", "secretHash", "usedAt" FROM "ConsoleSignInLink";
DROP TABLE "ConsoleSignInLink";
ALTER TABLE "new_ConsoleSignInLink" RENAME TO "ConsoleSignInLink";
CREATE UNIQUE INDEX "ConsoleSignInLink_secretHash_key" ON "ConsoleSignInLink"("secretHash");
CREATE INDEX "ConsoleSignInLink_memberId_idx" ON "ConsoleSignInLink"("memberId");
CREATE TABLE "new_ConsoleSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "secretHash" TEXT NOT NULL,
    "csrfHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    "memberId" TEXT,
    CONSTRAINT "ConsoleSession_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "WorkspaceMember" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ConsoleSession" ("createdAt", "csrfHash", "expiresAt", "id", "lastUsedAt", "revokedAt", "secretHash") SELECT "createdAt", "csrfHash", "expiresAt", "id", "lastUsedAt", "revokedAt", "secretHash" FROM "ConsoleSession";
DROP TABLE "ConsoleSession";
ALTER TABLE "new_ConsoleSession" RENAME TO "ConsoleSession";
CREATE UNIQUE INDEX "ConsoleSession_secretHash_key" ON "ConsoleSession"("secretHash");
CREATE INDEX "ConsoleSession_memberId_idx" ON "ConsoleSession"("memberId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RelayedEventBatch_createdAt_idx" ON "RelayedEventBatch"("createdAt");
