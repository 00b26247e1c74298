// Ferry itself, in its own resource group: one storage account (state, disk data, durable history,
// the deployment package), one Key Vault (secrets, and the key that wraps data keys), Application
// Insights on a Log Analytics workspace, and a Flex Consumption function app on Node 22 that reaches
// them with its managed identity. Operators' Entra ID tokens are checked by the app itself.
targetScope = 'resourceGroup'

@description('Prefix for resource names (3-11 lowercase letters or digits).')
@minLength(3)
@maxLength(11)
param prefix string

param location string

param tags object

@description('Entra ID tenant whose tokens operators present.')
param entraTenantId string

@description('Application (client) ID of the Entra app registration operators sign in to.')
param entraClientId string

@description('Subscription the target resource groups are in.')
param targetSubscriptionId string

@description('Virtual network (in the item\'s target resource group) a replication gets when it names none; empty: none.')
param defaultNetwork string

@description('Subnet of defaultNetwork; empty: the subnet named "default".')
param defaultSubnet string

var suffix = uniqueString(resourceGroup().id)
var customRoles = loadJsonContent('../customRoles.json')
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${prefix}${suffix}'
  location: location
  tags: tags
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
    encryption: {
      services: { blob: { enabled: true }, table: { enabled: true }, queue: { enabled: true } }
      keySource: 'Microsoft.Storage'
    }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'deployments'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${prefix}-kv-${suffix}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

// Wraps every project's data-encryption key (RSA-OAEP-256); only the wrapped form is stored. Created
// here, so the app needs no right to create keys: it may only read, wrap and unwrap with this one.
resource dataKek 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'ferry-data-kek'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: ['wrapKey', 'unwrapKey']
  }
}

module monitoring 'monitoring.bicep' = {
  name: 'ferry-monitoring'
  params: { name: '${prefix}-${suffix}', location: location, tags: tags }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${prefix}-plan-${suffix}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: '${prefix}-${suffix}'
  location: location
  // azd finds the app it deploys the "api" service to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deployments.name}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: monitoring.outputs.connectionString }
        // Ferry's spans and metrics go to that Application Insights (docs/telemetry.md).
        { name: 'FERRY_TELEMETRY', value: 'azure' }
        { name: 'FERRY_KEY_VAULT_URL', value: vault.properties.vaultUri }
        { name: 'FERRY_KEY_ENCRYPTION_KEY_NAME', value: dataKek.name }
        { name: 'FERRY_HUB_NAME', value: 'ferry' }
        { name: 'FERRY_AUTH_MODE', value: 'entra' }
        { name: 'FERRY_ENTRA_TENANT_ID', value: entraTenantId }
        // Version 2 access tokens (the Entra script asks for them) carry the client id as their audience.
        { name: 'FERRY_ENTRA_AUDIENCE', value: entraClientId }
        { name: 'FERRY_TARGET_PROVIDER', value: 'azure' }
        { name: 'FERRY_TARGET_SUBSCRIPTION_ID', value: targetSubscriptionId }
        { name: 'FERRY_TARGET_STORAGE_ACCOUNT_ID', value: storage.id }
        { name: 'FERRY_TARGET_DEFAULT_NETWORK', value: defaultNetwork }
        { name: 'FERRY_TARGET_DEFAULT_SUBNET', value: defaultSubnet }
      ]
    }
  }
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.blobDataOwner, roles.queueDataContributor, roles.tableDataContributor]: {
    name: guid(storage.id, app.id, role)
    scope: storage
    properties: {
      principalId: app.identity.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, app.id, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

// Scoped to the one key: the app reads it, wraps and unwraps with it, and can do nothing with any other key.
resource kekRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataKek.id, app.id, roles.keyVaultCryptoUser)
  scope: dataKek
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
  }
}

// Importing a managed disk from a VHD blob is authorized against the account holding the blob.
resource diskImportSource 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'ferry-disk-import-source')
  properties: {
    roleName: '${customRoles.diskImportSource.roleName} ${suffix}'
    description: customRoles.diskImportSource.description
    type: 'CustomRole'
    permissions: [{ actions: customRoles.diskImportSource.actions, notActions: [] }]
    assignableScopes: [resourceGroup().id]
  }
}

var diskImportSourceId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', diskImportSource.name)

resource diskImportRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, diskImportSourceId)
  scope: storage
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: diskImportSourceId
  }
}

output appName string = app.name
output principalId string = app.identity.principalId
output apiUrl string = 'https://${app.properties.defaultHostName}/api'
output keyVaultUrl string = vault.properties.vaultUri
output storageAccountId string = storage.id
