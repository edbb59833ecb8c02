-- CreateTable
CREATE TABLE "AccessPull" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startedBy" TEXT NOT NULL,
    "objects" JSONB NOT NULL,
    "apiCalls" INTEGER NOT NULL DEFAULT 0,
    "findings" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "workerId" TEXT,
    "heartbeatAt" DATETIME,
    "queuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AccessRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "salesforceId" TEXT NOT NULL,
    "name" TEXT,
    "userId" TEXT,
    "targetId" TEXT,
    "active" BOOLEAN,
    "at" DATETIME,
    "email" TEXT,
    "personId" TEXT,
    "fields" JSONB NOT NULL,
    "pullId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AccessLogin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "salesforceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "loginTime" DATETIME NOT NULL,
    "status" TEXT,
    "sourceIp" TEXT,
    "loginType" TEXT,
    "application" TEXT
);

-- CreateTable
CREATE TABLE "AccessFinding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "pullId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "subjectName" TEXT,
    "details" JSONB NOT NULL,
    "suggestedAction" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AccessAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "dryRun" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "results" JSONB NOT NULL,
    "apiCalls" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AccessSettings" (
    "connectionId" TEXT NOT NULL PRIMARY KEY,
    "inactiveDays" INTEGER NOT NULL DEFAULT 90,
    "tokenUnusedDays" INTEGER NOT NULL DEFAULT 90,
    "licenceUsagePercent" INTEGER NOT NULL DEFAULT 90,
    "pullIntervalHours" INTEGER NOT NULL DEFAULT 24,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "AccessPull_connectionId_queuedAt_idx" ON "AccessPull"("connectionId", "queuedAt");

-- CreateIndex
CREATE INDEX "AccessPull_status_idx" ON "AccessPull"("status");

-- CreateIndex
CREATE INDEX "AccessRecord_connectionId_kind_name_idx" ON "AccessRecord"("connectionId", "kind", "name");

-- CreateIndex
CREATE INDEX "AccessRecord_connectionId_kind_userId_idx" ON "AccessRecord"("connectionId", "kind", "userId");

-- CreateIndex
CREATE INDEX "AccessRecord_connectionId_kind_targetId_idx" ON "AccessRecord"("connectionId", "kind", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "AccessRecord_connectionId_kind_salesforceId_key" ON "AccessRecord"("connectionId", "kind", "salesforceId");

-- CreateIndex
CREATE INDEX "AccessLogin_connectionId_loginTime_idx" ON "AccessLogin"("connectionId", "loginTime");

-- CreateIndex
CREATE INDEX "AccessLogin_connectionId_userId_loginTime_idx" ON "AccessLogin"("connectionId", "userId", "loginTime");

-- CreateIndex
CREATE UNIQUE INDEX "AccessLogin_connectionId_salesforceId_key" ON "AccessLogin"("connectionId", "salesforceId");

-- CreateIndex
CREATE INDEX "AccessFinding_connectionId_kind_id_idx" ON "AccessFinding"("connectionId", "kind", "id");

-- CreateIndex
CREATE INDEX "AccessAction_connectionId_createdAt_id_idx" ON "AccessAction"("connectionId", "createdAt", "id");
