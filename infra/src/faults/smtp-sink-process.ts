// The fault suite's SMTP sink as a process of its own, so it can be killed and frozen (SIGSTOP) like
// a real server. Arguments: port, journal file. It loads, says `loaded`, and listens when told
// `listen` (a spare loaded in advance replaces a killed sink at once). Each accepted message is
// appended to the journal before the 250 answer: a message the sink acknowledged is in the journal
// even if it is killed right after.
import { appendFileSync } from 'node:fs';
import { startSmtpSink } from '@girlycrea/mailer/testing';

const [port, journal] = process.argv.slice(2);
if (!port || !journal) throw new Error('usage : smtp-sink-process.ts <port> <journal>');
process.once('message', () => {
  void startSmtpSink({
    port: Number(port),
    onAccepted: (mail) => appendFileSync(journal, `${JSON.stringify({ messageId: mail.messageId, to: mail.envelopeTo })}\n`),
  }).then(() => process.send?.('listening'));
});
process.send?.('loaded');
