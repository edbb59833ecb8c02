-- AlterTable
ALTER TABLE "Link" ADD COLUMN "salesforceModstamp" DATETIME;
