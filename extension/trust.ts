/**
 * Workspace trust: analysis (pure arithmetic on text) works in restricted mode; running a model or exporting
 * one with weights loads files the design names and runs native code, so it needs a trusted workspace
 * (`capabilities.untrustedWorkspaces: limited` in package.json; the commands are also hidden by `enablement`).
 */
import * as vscode from 'vscode';

export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(`M3V: to ${action}, trust this workspace (model runs load weights and native code).`, 'Manage Workspace Trust')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
