#!/bin/sh
# Gives a user (or, with an object id, a group or service principal) one of Ferry's app roles; the
# role reaches the API in the token's "roles" claim at the next sign-in.
#
# Usage: infra/scripts/grantOperatorRole.sh <user principal name | object id> <Ferry.Reader|Ferry.Contributor|Ferry.Owner>
#        (FERRY_ENTRA_CLIENT_ID from the environment or `azd env get-values`; needs `az login`)
set -eu
who=$1 role=$2
client_id="${FERRY_ENTRA_CLIENT_ID:-$(azd env get-value FERRY_ENTRA_CLIENT_ID 2>/dev/null || true)}"
if [ -z "$client_id" ]; then
  echo "Set FERRY_ENTRA_CLIENT_ID (infra/scripts/createEntraApp.sh prints it)." >&2
  exit 2
fi
sp_id=$(az ad sp show --id "$client_id" --query id -o tsv)
role_id=$(az ad sp show --id "$client_id" --query "appRoles[?value=='$role'].id | [0]" -o tsv)
if [ -z "$role_id" ]; then
  echo "No app role '$role': use Ferry.Reader, Ferry.Contributor or Ferry.Owner." >&2
  exit 2
fi
case "$who" in
  *@*) principal_id=$(az ad user show --id "$who" --query id -o tsv) ;;
  *) principal_id=$who ;;
esac
az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$sp_id/appRoleAssignedTo" \
  --headers "Content-Type=application/json" \
  --body "{\"principalId\": \"$principal_id\", \"resourceId\": \"$sp_id\", \"appRoleId\": \"$role_id\"}" >/dev/null
echo "$who now holds $role on Ferry ($client_id)."
