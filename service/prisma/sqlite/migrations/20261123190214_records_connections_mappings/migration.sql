-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ApiKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecordType" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pluralName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "attributes" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RecordType_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PryzmRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "recordTypeId" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "PryzmRecord_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PryzmRecord_recordTypeId_fkey" FOREIGN KEY ("recordTypeId") REFERENCES "RecordType" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Connection" (
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
    CONSTRAINT "Connection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OAuthState" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stateHash" TEXT NOT NULL,
    "browserBindingHash" TEXT,
    "connectionId" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "codeVerifierEncrypted" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OAuthState_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DescribeCache" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "objectName" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "fetchedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DescribeCache_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ObjectMapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "recordTypeKey" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "filter" TEXT,
    "conflictStrategy" TEXT NOT NULL,
    "schedule" JSONB NOT NULL,
    "matchRules" JSONB,
    "fields" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "validation" JSONB,
    "validatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ObjectMapping_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ObjectMapping_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Link" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "salesforceId" TEXT NOT NULL,
    "baseValues" JSONB NOT NULL,
    "lastSyncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Link_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Link_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "PryzmRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_secretHash_key" ON "ApiKey"("secretHash");

-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_idx" ON "ApiKey"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "RecordType_workspaceId_key_key" ON "RecordType"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "PryzmRecord_workspaceId_recordTypeId_createdAt_idx" ON "PryzmRecord"("workspaceId", "recordTypeId", "createdAt");

-- CreateIndex
CREATE INDEX "Connection_workspaceId_idx" ON "Connection"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "OAuthState_stateHash_key" ON "OAuthState"("stateHash");

-- CreateIndex
CREATE INDEX "OAuthState_connectionId_idx" ON "OAuthState"("connectionId");

-- CreateIndex
CREATE UNIQUE INDEX "DescribeCache_connectionId_objectName_key" ON "DescribeCache"("connectionId", "objectName");

-- CreateIndex
CREATE INDEX "ObjectMapping_workspaceId_idx" ON "ObjectMapping"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "ObjectMapping_connectionId_salesforceObject_key" ON "ObjectMapping"("connectionId", "salesforceObject");

-- CreateIndex
CREATE INDEX "Link_recordId_idx" ON "Link"("recordId");

-- CreateIndex
CREATE UNIQUE INDEX "Link_connectionId_salesforceId_key" ON "Link"("connectionId", "salesforceId");

-- CreateIndex
CREATE UNIQUE INDEX "Link_connectionId_salesforceObject_recordId_key" ON "Link"("connectionId", "salesforceObject", "recordId");
