// A V2_0 pre token generation handler (ES module, async): Okta groups into cognito:groups,
// claims of any JSON type into the ID token, a claim and scopes into the access token.
export const handler = async (event) => {
  const raw = event.request.userAttributes['custom:groups'] || '';
  const groups = raw.replace(/^\[|\]$/g, '').split(',').map((g) => g.trim()).filter(Boolean);
  console.log('Okta groups:', JSON.stringify(groups), 'scopes:', event.request.scopes.join(' '));
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: { tenant: { id: 7, name: 'acme' }, level: 3 }, claimsToSuppress: ['given_name'] },
      accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: 'acme', token_use: 'id' }, scopesToAdd: ['orders/read'], scopesToSuppress: ['profile'] },
      groupOverrideDetails: { groupsToOverride: groups },
    },
  };
  return event;
};
