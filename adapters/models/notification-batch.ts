import { type Connection, type InferSchemaType, Schema } from 'mongoose';

import { CHANNELS, NOTIFICATION_EVENTS } from '../../domain/contracts/notify.contract';

/**
 * A bulk message's record: who asked and how many pages. Its recipients live in pages of their own
 * (below), so the batch workflow's input and history carry only the batch id and the page count,
 * never thousands of user ids, and a page is one read by `_id`.
 */
const notificationBatchSchema = new Schema(
  {
    _id: { type: String, required: true },
    source: { type: String, required: true },
    recipients: { type: Number, required: true },
    pages: { type: Number, required: true },
  },
  { collection: 'notificationBatches', timestamps: true, versionKey: false },
);

const recipientSchema = new Schema(
  {
    notificationId: { type: String, required: true },
    userId: { type: String, required: true },
    event: { type: String, enum: NOTIFICATION_EVENTS, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    channels: { type: [{ type: String, enum: CHANNELS }], default: undefined },
  },
  { _id: false },
);

/** One page of a batch's recipients, `_id` `<batchId>#<page>`; written once, before the batch starts. */
const notificationBatchPageSchema = new Schema(
  {
    _id: { type: String, required: true },
    batchId: { type: String, required: true },
    page: { type: Number, required: true },
    recipients: { type: [recipientSchema], required: true },
  },
  { collection: 'notificationBatchPages', timestamps: true, versionKey: false },
);

export const batchPageId = (batchId: string, page: number) => `${batchId}#${page}`;

export type NotificationBatchDoc = InferSchemaType<typeof notificationBatchSchema> & { _id: string };

export function notificationBatchModel(conn: Connection) {
  return conn.model('NotificationBatch', notificationBatchSchema);
}
export function notificationBatchPageModel(conn: Connection) {
  return conn.model('NotificationBatchPage', notificationBatchPageSchema);
}
