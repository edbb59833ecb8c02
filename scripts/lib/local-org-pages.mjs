// The local org's Lightning record page for `npm start`'s banner: the package's Push button on a
// demo Account. The Account is found as the demo connection finds records, through the local
// org's own OAuth and REST API (username-password flow with the integration user), never by
// reading the local org's memory.

/**
 * The record-page URL of the first demo Account (by name) in the org `login` signs in to, or
 * undefined when the org has no Account yet.
 */
export async function demoRecordPageUrl({ loginUrl, login }) {
  const token = await fetch(`${loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: login.clientId,
      client_secret: login.clientSecret,
      username: login.username,
      password: `${login.password}${login.securityToken}`,
    }),
  });
  if (!token.ok) throw new Error(`the local org refused the sign-in (${token.status})`);
  const { access_token: accessToken, instance_url: instanceUrl } = await token.json();
  const soql = 'SELECT Id, Name FROM Account ORDER BY Name LIMIT 1';
  const query = await fetch(
    `${instanceUrl}/services/data/v63.0/query?q=${encodeURIComponent(soql)}`,
    { headers: { authorization: `Bearer ${accessToken}` } },
  );
  if (!query.ok) throw new Error(`the Account query answered ${query.status}`);
  const [account] = (await query.json()).records;
  return account ? `${instanceUrl}/lightning/r/Account/${account.Id}/view` : undefined;
}
