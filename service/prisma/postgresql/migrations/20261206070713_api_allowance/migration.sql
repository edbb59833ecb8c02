-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "apiAllowancePercent" INTEGER NOT NULL DEFAULT 50;

-- CreateTable
CREATE TABLE "ApiUsageHour" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ApiUsageHour_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiUsageHour_connectionId_hour_key" ON "ApiUsageHour"("connectionId", "hour");

-- AddForeignKey
ALTER TABLE "ApiUsageHour" ADD CONSTRAINT "ApiUsageHour_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
