/**
 * The Resource Manager actions the Azure provider's calls need, by where they are checked. The
 * table in infra/README.md lists the call behind each one; a test holds the two and the template
 * to agreement.
 */
export const targetGroupActions = [
  // The enable-time check itself: the identity reads its own permissions on the group.
  "Microsoft.Authorization/permissions/read",
  "Microsoft.Network/virtualNetworks/subnets/read",
  "Microsoft.Compute/availabilitySets/read",
  "Microsoft.Compute/disks/read",
  "Microsoft.Compute/disks/write",
  "Microsoft.Compute/disks/delete",
  "Microsoft.Network/networkInterfaces/read",
  "Microsoft.Network/networkInterfaces/write",
  "Microsoft.Network/networkInterfaces/delete",
  "Microsoft.Network/virtualNetworks/subnets/join/action",
  "Microsoft.Network/networkInterfaces/join/action",
  "Microsoft.Compute/virtualMachines/read",
  "Microsoft.Compute/virtualMachines/write",
  "Microsoft.Compute/virtualMachines/delete",
] as const;

/** On Ferry's own storage account: importing a disk from a VHD blob there is authorized against it. */
export const storageAccountActions = [
  "Microsoft.Storage/storageAccounts/read",
  "Microsoft.Storage/storageAccounts/listKeys/action",
] as const;
