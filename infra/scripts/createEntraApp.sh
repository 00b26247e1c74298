#!/bin/sh
# Creates (or brings up to date) the Entra ID app registration operators sign in to, which Bicep
# cannot make: app roles Ferry.Reader, Ferry.Contributor and Ferry.Owner, the identifier URI
# api://<client id>, version 2 access tokens, a delegated scope the Azure CLI is pre-authorized for
# (so `az account get-access-token` works without a consent prompt), and a service principal that
# gives tokens only to users and apps assigned one of the roles. Prints the client id for azd.
#
# Usage: infra/scripts/createEntraApp.sh [display name]   (default: Ferry; needs `az login`)
set -eu
name="${1:-Ferry}"
# Fixed ids: re-running the script updates the same roles instead of replacing them.
reader=5742949f-1a5b-42d7-b0cb-534f862e81f2
contributor=049c7357-9fce-4c9e-87ef-d9399a568ccd
owner=218edd56-e4db-4271-a32c-9e2df7a08356
scope=ef5e4663-e188-4cdf-ac4d-139fd67cf049
azure_cli=04b07795-8ddb-461a-bbee-02f9e1bf7b46

role() { # id value display-name description
  printf '{"id":"%s","value":"%s","displayName":"%s","description":"%s",' "$1" "$2" "$3" "$4"
  printf '"allowedMemberTypes":["User","Application"],"isEnabled":true}'
}
roles="[$(role "$reader" Ferry.Reader "Ferry reader" "Reads every project, item, job and VM; changes nothing."),\
$(role "$contributor" Ferry.Contributor "Ferry contributor" "Runs every operation except managing operator keys."),\
$(role "$owner" Ferry.Owner "Ferry owner" "Everything, operator keys of any role included.")]"

app_id=$(az ad app list --display-name "$name" --query "[0].appId" -o tsv)
if [ -z "$app_id" ]; then
  app_id=$(az ad app create --display-name "$name" --sign-in-audience AzureADMyOrg --query appId -o tsv)
  echo "Created app registration '$name' ($app_id)."
fi
object_id=$(az ad app show --id "$app_id" --query id -o tsv)
graph="https://graph.microsoft.com/v1.0/applications/$object_id"

scopes="[{\"id\": \"$scope\", \"value\": \"user_impersonation\", \"type\": \"User\", \"isEnabled\": true,
  \"adminConsentDisplayName\": \"Call Ferry\", \"adminConsentDescription\": \"Call Ferry's API as the signed-in user.\",
  \"userConsentDisplayName\": \"Call Ferry\", \"userConsentDescription\": \"Call Ferry's API as you.\"}]"
az rest --method PATCH --uri "$graph" --headers "Content-Type=application/json" --body "{
  \"identifierUris\": [\"api://$app_id\"],
  \"appRoles\": $roles,
  \"api\": { \"requestedAccessTokenVersion\": 2, \"oauth2PermissionScopes\": $scopes }
}"
# Pre-authorizing needs the scope to exist already: a second request, repeating the whole api object.
az rest --method PATCH --uri "$graph" --headers "Content-Type=application/json" --body "{
  \"api\": {
    \"requestedAccessTokenVersion\": 2, \"oauth2PermissionScopes\": $scopes,
    \"preAuthorizedApplications\": [{ \"appId\": \"$azure_cli\", \"delegatedPermissionIds\": [\"$scope\"] }]
  }
}"

if ! az ad sp show --id "$app_id" --query id -o tsv >/dev/null 2>&1; then
  az ad sp create --id "$app_id" --query id -o tsv >/dev/null
fi
sp_id=$(az ad sp show --id "$app_id" --query id -o tsv)
az rest --method PATCH --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$sp_id" \
  --headers "Content-Type=application/json" --body '{"appRoleAssignmentRequired": true}'

echo
echo "Client id: $app_id"
echo "Next: azd env set FERRY_ENTRA_CLIENT_ID $app_id"
echo "Then give operators a role: infra/scripts/grantOperatorRole.sh <user@domain> Ferry.Reader|Ferry.Contributor|Ferry.Owner"
