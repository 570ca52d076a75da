import { PASSWORD, webhookEndpointBody } from './bodies';
import { type SignedIn } from './table';
import { api, ok, users } from './world';

/** Resources only some rows need, made when a row asks: exports, webhook endpoints, sessions. */

/** A data export of the member, ready to download (`fresh`: a new one; else one made once). */
export let memberExport: Promise<string> | undefined;
export async function readyDataExport(fresh = false): Promise<string> {
  const make = async () => {
    const asked = await ok(api().post('/v1/me/data-export').set(users.member.auth), 202);
    const id = asked.body.jobId as string;
    for (let i = 0; i < 200; i += 1) {
      const res = await api().get(`/v1/me/data-export/${id}`).set(users.member.auth);
      if (res.body.status === 'ready') return id;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('setup: data export not ready');
  };
  if (fresh) return make();
  memberExport ??= make();
  return memberExport;
}

export async function freshWebhookEndpoint(): Promise<string> {
  const res = await ok(
    api().post('/v1/webhook-endpoints').set(users.member.auth).send(webhookEndpointBody),
    201,
  );
  return res.body.id as string;
}

export let memberEndpoint: Promise<string> | undefined;
export const memberWebhookEndpoint = () => (memberEndpoint ??= freshWebhookEndpoint());

/** A second session of the persona: signing it out leaves the persona's own token alone. */
export async function freshSession(as: SignedIn): Promise<string> {
  const res = await ok(
    api().post('/v1/auth/login').send({ email: users[as].email, password: PASSWORD }),
    200,
  );
  return res.body.token as string;
}
