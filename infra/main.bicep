// Ferry in Azure, as `azd up` (or `az deployment sub create`) deploys it: Ferry's own resource
// group (modules/ferry.bicep), and in each existing target resource group a role holding exactly
// what failover needs there, assigned to Ferry's managed identity (modules/targetGroupRoles.bicep).
targetScope = 'subscription'

@minLength(1)
@maxLength(54)
@description('Name of the azd environment: Ferry\'s resource group is rg-<name>, and its resources carry it as a tag.')
param environmentName string

@minLength(1)
@description('Region of Ferry\'s resources. Managed disks are imported from Ferry\'s storage account: target VMs go here too.')
param location string

@description('Prefix for resource names (3-11 lowercase letters or digits).')
@minLength(3)
@maxLength(11)
param prefix string = 'ferry'

@description('Entra ID tenant whose tokens operators present.')
param entraTenantId string = subscription().tenantId

@minLength(36)
@description('Application (client) ID of the Entra app registration operators sign in to (infra/scripts/createEntraApp.sh).')
param entraClientId string

@minLength(1)
@description('Comma-separated names of existing resource groups failover may create VMs in, e.g. "rg-migrated,rg-drill".')
param targetResourceGroups string

@description('Subscription the target resource groups are in; empty: this deployment\'s.')
param targetSubscriptionId string = ''

@description('Virtual network a replication gets when it names none (it must exist in the item\'s target group); empty: none.')
param defaultNetwork string = ''

@description('Subnet of defaultNetwork; empty: the subnet named "default".')
param defaultSubnet string = ''

var tags = { 'azd-env-name': environmentName }
var targetSubscription = empty(targetSubscriptionId) ? subscription().subscriptionId : targetSubscriptionId
var targetGroups = filter(map(split(targetResourceGroups, ','), group => trim(group)), group => !empty(group))

resource ferryGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module ferry 'modules/ferry.bicep' = {
  name: 'ferry'
  scope: ferryGroup
  params: {
    prefix: prefix
    location: location
    tags: tags
    entraTenantId: entraTenantId
    entraClientId: entraClientId
    targetSubscriptionId: targetSubscription
    defaultNetwork: defaultNetwork
    defaultSubnet: defaultSubnet
  }
}

module targetRoles 'modules/targetGroupRoles.bicep' = [
  for targetGroup in targetGroups: {
    name: 'ferry-target-${uniqueString(targetSubscription, targetGroup)}'
    scope: resourceGroup(targetSubscription, targetGroup)
    params: { principalId: ferry.outputs.principalId }
  }
]

output AZURE_RESOURCE_GROUP string = ferryGroup.name
output FERRY_API_URL string = ferry.outputs.apiUrl
output FERRY_APP_NAME string = ferry.outputs.appName
output FERRY_APP_PRINCIPAL_ID string = ferry.outputs.principalId
output FERRY_KEY_VAULT_URL string = ferry.outputs.keyVaultUrl
output FERRY_STORAGE_ACCOUNT_ID string = ferry.outputs.storageAccountId
output FERRY_TARGET_SUBSCRIPTION string = targetSubscription
output FERRY_TARGET_GROUPS array = targetGroups
