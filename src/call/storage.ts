import { mkdirSync } from 'node:fs';
import type { Db } from '../db/client.ts';
import { botLegs, callbackRequests, callRecordings } from '../db/schema/index.ts';
import { saveMessage } from '../services/voicemail/messages.ts';
import type { CallDeps, CallStorage } from './session.ts';

/** The calls' storage in production: rows in the database, folders on disk. */
export function databaseStorage(db: Db): CallStorage {
  return {
    callback: (row) => void db.insert(callbackRequests).values(row).run(),
    botLeg: (row) => void db.insert(botLegs).values(row).run(),
    voicemail: (message) => void saveMessage(db, message),
    recording: (row) => void db.insert(callRecordings).values(row).run(),
    folder: (dir) => void mkdirSync(dir, { recursive: true }),
  };
}

/** The call's storage: CallDeps.storage, or the database and the disk. */
export function storageOf(deps: CallDeps): CallStorage {
  return deps.storage ?? databaseStorage(deps.db);
}
