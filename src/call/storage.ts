import { mkdirSync } from 'node:fs';
import type { Db } from '../db/handle.ts';
import { saveMessage } from '../services/voicemail/messages.ts';
import type { CallDeps, CallStorage } from './session.ts';

/** The calls' storage in production: rows in the database (the async handle), folders on disk. */
export function databaseStorage(db: Db): CallStorage {
  const { botLegs, callbackRequests, callRecordings } = db.t;
  return {
    callback: async (row) => void (await db.insert(callbackRequests).values(row)),
    botLeg: async (row) => void (await db.insert(botLegs).values(row)),
    voicemail: async (message) => void (await saveMessage(db, message)),
    recording: async (row) => void (await db.insert(callRecordings).values(row)),
    folder: (dir) => void mkdirSync(dir, { recursive: true }),
  };
}

/** The call's storage: CallDeps.storage, or the database and the disk. */
export function storageOf(deps: CallDeps): CallStorage {
  return deps.storage ?? databaseStorage(deps.adb);
}
