/** What `api.client.GET(…, { parseAs: 'stream' })` answers for a CSV endpoint. */
interface StreamResult {
  data?: ReadableStream<Uint8Array> | null;
  error?: unknown;
  response: Response;
}

/**
 * A CSV of the API handed to the browser as it comes, byte for byte: the token stays on this
 * server (HttpOnly cookie), so downloads go through a resource route that adds it. The API's
 * refusal is passed on with its status and JSON body.
 */
export function csvDownload(result: StreamResult, fileName: string): Response {
  if (!result.data)
    return Response.json(result.error ?? null, {
      status: result.response.status >= 400 ? result.response.status : 502,
    });
  return new Response(result.data, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
