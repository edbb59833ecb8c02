-- CreateTable
CREATE TABLE "AutoPushState" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "holderId" TEXT,
    "expiresAt" DATETIME,
    "cursors" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AutoPushState_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ObjectMapping" (
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
    "deletes" JSONB,
    "autoPush" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "ObjectMapping_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ObjectMapping_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ObjectMapping" ("conflictStrategy", "connectionId", "createdAt", "deletes", "direction", "enabled", "fields", "filter", "id", "matchRules", "recordTypeKey", "salesforceObject", "schedule", "updatedAt", "validatedAt", "validation", "workspaceId") SELECT "conflictStrategy", "connectionId", "createdAt", "deletes", "direction", "enabled", "fields", "filter", "id", "matchRules", "recordTypeKey", "salesforceObject", "schedule", "updatedAt", "validatedAt", "validation", "workspaceId" FROM "ObjectMapping";
DROP TABLE "ObjectMapping";
ALTER TABLE "new_ObjectMapping" RENAME TO "ObjectMapping";
CREATE INDEX "ObjectMapping_workspaceId_idx" ON "ObjectMapping"("workspaceId");
CREATE UNIQUE INDEX "ObjectMapping_connectionId_salesforceObject_key" ON "ObjectMapping"("connectionId", "salesforceObject");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "AutoPushState_connectionId_key" ON "AutoPushState"("connectionId");

-- CreateIndex
CREATE INDEX "PryzmRecord_workspaceId_recordTypeId_updatedAt_idx" ON "PryzmRecord"("workspaceId", "recordTypeId", "updatedAt");
