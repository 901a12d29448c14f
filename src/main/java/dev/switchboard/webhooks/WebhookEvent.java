package dev.switchboard.webhooks;

/**
 * One event, encoded once for every endpoint.
 *
 * @param id the {@code webhook-id}, the same on every retry (a receiver's idempotency key)
 * @param type the event type ({@link EventTypes})
 * @param resource what the event is about ({@code user:alice}, {@code call:Qm9…}): events of one resource
 *     reach an endpoint in the order they happened
 * @param occurredAt when it happened (broker clock, ms)
 * @param body {@code {"type","timestamp","data"}} as sent and signed (UTF-8 JSON; never changed)
 */
record WebhookEvent(String id, String type, String resource, long occurredAt, byte[] body) {
}
