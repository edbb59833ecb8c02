-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "changeSource" TEXT NOT NULL DEFAULT 'flows',
ADD COLUMN     "changeSourceProblem" TEXT;

-- CreateTable
CREATE TABLE "RealtimeLease" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "holderId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "state" TEXT NOT NULL DEFAULT 'stopped',
    "stateMessage" TEXT,
    "lastEventAt" TIMESTAMP(3),
    "lastAppliedAt" TIMESTAMP(3),
    "lagMs" INTEGER,
    "eventsApplied" INTEGER NOT NULL DEFAULT 0,
    "lastSweepAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RealtimeLease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RealtimeReplay" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "replayId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RealtimeReplay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundNotification" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboundNotification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RealtimeLease_connectionId_key" ON "RealtimeLease"("connectionId");

-- CreateIndex
CREATE UNIQUE INDEX "RealtimeReplay_connectionId_channel_key" ON "RealtimeReplay"("connectionId", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundNotification_connectionId_notificationId_key" ON "OutboundNotification"("connectionId", "notificationId");

-- AddForeignKey
ALTER TABLE "RealtimeLease" ADD CONSTRAINT "RealtimeLease_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RealtimeReplay" ADD CONSTRAINT "RealtimeReplay_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundNotification" ADD CONSTRAINT "OutboundNotification_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
