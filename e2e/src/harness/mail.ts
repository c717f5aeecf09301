import { listCapturedMail, readCapturedMail, type CapturedMail } from '@girlycrea/mailer';
import { eventually } from '@girlycrea/testkit';

/** Waits for an e-mail to `to` whose subject matches, as captured by the API (outbox worker → .eml). */
export async function waitForMail(dir: string, to: string, subject: RegExp, timeoutMs = 15_000): Promise<CapturedMail> {
  let found: CapturedMail | undefined;
  await eventually(async () => {
    const match = (await listCapturedMail(dir)).find((m) => m.to.toLowerCase().includes(to.toLowerCase()) && subject.test(m.subject));
    if (match) found = await readCapturedMail(dir, match.file);
    return found !== undefined;
  }, timeoutMs, 200);
  return found!;
}
