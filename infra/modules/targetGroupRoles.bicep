// One target resource group: a custom role holding exactly the actions Ferry's Azure target
// provider needs there (infra/customRoles.json, the table in infra/README.md), assignable in this
// group only, and its assignment to Ferry's managed identity.
targetScope = 'resourceGroup'

@description('Object id of Ferry\'s managed identity.')
param principalId string

var role = loadJsonContent('../customRoles.json').targetGroup

resource operator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'ferry-target-operator')
  properties: {
    // Role names are unique in a tenant: the group's own suffix keeps one per group.
    roleName: '${role.roleName} ${uniqueString(resourceGroup().id)}'
    description: role.description
    type: 'CustomRole'
    permissions: [{ actions: role.actions, notActions: [] }]
    assignableScopes: [resourceGroup().id]
  }
}

// Role definitions live at subscription level, wherever they were deployed from.
var operatorId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', operator.name)

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, operatorId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: operatorId
  }
}

output roleDefinitionId string = operatorId
