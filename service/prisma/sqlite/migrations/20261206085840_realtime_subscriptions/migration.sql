-- CreateTable
CREATE TABLE "RealtimeLease" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "holderId" TEXT,
    "expiresAt" DATETIME,
    "state" TEXT NOT NULL DEFAULT 'stopped',
    "stateMessage" TEXT,
    "lastEventAt" DATETIME,
    "lastAppliedAt" DATETIME,
    "lagMs" INTEGER,
    "eventsApplied" INTEGER NOT NULL DEFAULT 0,
    "lastSweepAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RealtimeLease_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RealtimeReplay" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "replayId" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RealtimeReplay_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboundNotification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutboundNotification_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "changeSource" TEXT NOT NULL DEFAULT 'flows',
    "changeSourceProblem" TEXT,
    CONSTRAINT "Connection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Connection" ("accessTokenEncrypted", "apiAllowancePercent", "apiCallCount", "authCallCount", "authFlow", "clientId", "clientSecretEncrypted", "connectedAt", "createdAt", "createdById", "credentialEncrypted", "disconnectedAt", "edition", "environment", "id", "instanceUrl", "isSandbox", "label", "loginUrl", "orgApiLimit", "orgApiUsageAt", "orgApiUsed", "orgId", "orgName", "refreshTokenEncrypted", "status", "statusMessage", "tokenIssuedAt", "updatedAt", "userId", "username", "workspaceId") SELECT "accessTokenEncrypted", "apiAllowancePercent", "apiCallCount", "authCallCount", "authFlow", "clientId", "clientSecretEncrypted", "connectedAt", "createdAt", "createdById", "credentialEncrypted", "disconnectedAt", "edition", "environment", "id", "instanceUrl", "isSandbox", "label", "loginUrl", "orgApiLimit", "orgApiUsageAt", "orgApiUsed", "orgId", "orgName", "refreshTokenEncrypted", "status", "statusMessage", "tokenIssuedAt", "updatedAt", "userId", "username", "workspaceId" FROM "Connection";
DROP TABLE "Connection";
ALTER TABLE "new_Connection" RENAME TO "Connection";
CREATE INDEX "Connection_workspaceId_idx" ON "Connection"("workspaceId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "RealtimeLease_connectionId_key" ON "RealtimeLease"("connectionId");

-- CreateIndex
CREATE UNIQUE INDEX "RealtimeReplay_connectionId_channel_key" ON "RealtimeReplay"("connectionId", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundNotification_connectionId_notificationId_key" ON "OutboundNotification"("connectionId", "notificationId");
