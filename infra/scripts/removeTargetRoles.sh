#!/bin/sh
# azd's predown hook: deleting Ferry's resource group does not reach what the template made outside
# it, so first remove every role assignment of Ferry's managed identity (target resource groups,
# its own storage account and vault), then the custom role definitions, unless another Ferry
# deployment still uses one. Reads the outputs azd keeps: FERRY_APP_PRINCIPAL_ID,
# FERRY_TARGET_SUBSCRIPTION, FERRY_TARGET_GROUPS, AZURE_RESOURCE_GROUP, AZURE_SUBSCRIPTION_ID.
set -eu
principal="${FERRY_APP_PRINCIPAL_ID:-}"
if [ -z "$principal" ]; then
  echo "Nothing was provisioned in this environment: no roles to remove."
  exit 0
fi
target_subscription="${FERRY_TARGET_SUBSCRIPTION:-${AZURE_SUBSCRIPTION_ID}}"
groups=$(node -e 'for (const group of JSON.parse(process.argv[1] || "[]")) console.log(group)' "${FERRY_TARGET_GROUPS:-[]}")

for subscription in $(printf '%s\n%s\n' "$AZURE_SUBSCRIPTION_ID" "$target_subscription" | sort -u); do
  for id in $(az role assignment list --all --assignee "$principal" --subscription "$subscription" --query "[].id" -o tsv); do
    echo "Removing role assignment $id"
    az role assignment delete --ids "$id" --subscription "$subscription"
  done
done

# Deletes the custom roles named "<prefix> ..." assignable at a scope; one still assigned stays.
remove_definitions() {
  scope=$1 prefix=$2 subscription=$3
  for name in $(az role definition list --custom-role-only true --scope "$scope" --subscription "$subscription" \
    --query "[?starts_with(roleName, '$prefix')].name" -o tsv); do
    az role definition delete --name "$name" --scope "$scope" --subscription "$subscription" ||
      echo "Kept role definition $name at $scope: another deployment still assigns it."
  done
}

for group in $groups; do
  remove_definitions "/subscriptions/$target_subscription/resourceGroups/$group" "Ferry target operator" \
    "$target_subscription"
done
if [ -n "${AZURE_RESOURCE_GROUP:-}" ]; then
  remove_definitions "/subscriptions/$AZURE_SUBSCRIPTION_ID/resourceGroups/$AZURE_RESOURCE_GROUP" \
    "Ferry disk import source" "$AZURE_SUBSCRIPTION_ID"
fi
