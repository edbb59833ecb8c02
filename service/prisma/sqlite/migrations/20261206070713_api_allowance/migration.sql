-- CreateTable
CREATE TABLE "ApiUsageHour" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ApiUsageHour_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "loginUrl" TEXT NOT NULL,
    "authFlow" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusMessage" TEXT,
    "orgId" TEXT,
    "orgName" TEXT,
    "edition" TEXT,
    "isSandbox" BOOLEAN,
    "instanceUrl" TEXT,
    "username" TEXT,
    "userId" TEXT,
    "clientId" TEXT NOT NULL,
    "clientSecretEncrypted" TEXT,
    "credentialEncrypted" TEXT,
    "accessTokenEncrypted" TEXT,
    "refreshTokenEncrypted" TEXT,
    "tokenIssuedAt" DATETIME,
    "apiCallCount" INTEGER NOT NULL DEFAULT 0,
    "authCallCount" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "connectedAt" DATETIME,
    "disconnectedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "orgApiLimit" INTEGER,
    "orgApiUsageAt" DATETIME,
    "orgApiUsed" INTEGER,
    "apiAllowancePercent" INTEGER NOT NULL DEFAULT 50,
    CONSTRAINT "Connection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Connection" ("accessTokenEncrypted", "apiCallCount", "authCallCount", "authFlow", "clientId", "clientSecretEncrypted", "connectedAt", "createdAt", "createdById", "credentialEncrypted", "disconnectedAt", "edition", "environment", "id", "instanceUrl", "isSandbox", "label", "loginUrl", "orgApiLimit", "orgApiUsageAt", "orgApiUsed", "orgId", "orgName", "refreshTokenEncrypted", "status", "statusMessage", "tokenIssuedAt", "updatedAt", "userId", "username", "workspaceId") SELECT "accessTokenEncrypted", "apiCallCount", "authCallCount", "authFlow", "clientId", "clientSecretEncrypted", "connectedAt", "createdAt", "createdById", "credentialEncrypted", "disconnectedAt", "edition", "environment", "id", "instanceUrl", "isSandbox", "label", "loginUrl", "orgApiLimit", "orgApiUsageAt", "orgApiUsed", "orgId", "orgName", "refreshTokenEncrypted", "status", "statusMessage", "tokenIssuedAt", "updatedAt", "userId", "username", "workspaceId" FROM "Connection";
DROP TABLE "Connection";
ALTER TABLE "new_Connection" RENAME TO "Connection";
CREATE INDEX "Connection_workspaceId_idx" ON "Connection"("workspaceId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ApiUsageHour_connectionId_hour_key" ON "ApiUsageHour"("connectionId", "hour");
