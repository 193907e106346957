/**
 * What each panel shows, derived from the active design's latest analysis. Panel-local options (a budget to
 * highlight, compare mode, the simulated scenario, the last model run) live here, not in the webview, so the
 * host can rebuild the view after every keystroke.
 */
import { PROTOCOL_VERSION, type HostMessage, type RunView } from '../../webviews/protocol';
import type { ActiveDesign } from '../activeDesign';
import { staleMessage, type PanelContent } from './panelHost';

export class ResourcesContent implements PanelContent {
  readonly kind = 'resources' as const;
  readonly title = 'M3V Resources';
  focusBudget: string | undefined;

  constructor(private readonly design: ActiveDesign) {}

  currentMessage(): HostMessage {
    const u = this.design.current;
    if (!u.uri) return staleMessage(u.analysis.problem ?? 'Open a .m3v design.');
    if (u.analysis.problem) return staleMessage(u.analysis.problem);
    const view = u.analysis.resources(u.task, u.target);
    if (!view) return staleMessage('The design has no hardware target: add a `hardware` block to see resources.');
    return { v: PROTOCOL_VERSION, type: 'resources', seq: u.seq, uri: u.uri.toString(), view: { ...view, focusBudget: this.focusBudget } };
  }

  selectionMessage(): HostMessage | undefined {
    const u = this.design.current;
    if (!u.uri || u.analysis.problem) return undefined;
    return { v: PROTOCOL_VERSION, type: 'selection', tasks: u.analysis.tasks, targets: u.analysis.targets, task: u.task, target: u.target };
  }
}

export class ScheduleContent implements PanelContent {
  readonly kind = 'schedule' as const;
  readonly title = 'M3V Schedule';
  compare = false;
  scenario: string | undefined;

  constructor(private readonly design: ActiveDesign) {}

  currentMessage(): HostMessage {
    const u = this.design.current;
    if (!u.uri) return staleMessage(u.analysis.problem ?? 'Open a .m3v design.');
    if (u.analysis.problem) return staleMessage(u.analysis.problem);
    const scenario = this.scenario && u.analysis.scenarios.includes(this.scenario) ? this.scenario : undefined;
    const view = u.analysis.schedule(u.task, u.target, scenario, this.compare);
    if (!view) return staleMessage('The design has no hardware target: add a `hardware` block to see a schedule.');
    // Without compare only the target's own strategy is simulated and sent (token_by_token alone is ~5,000 events
    // on Edge-MoE, 220,000 on the stress sample).
    return { v: PROTOCOL_VERSION, type: 'schedule', seq: u.seq, uri: u.uri.toString(), view };
  }
}

export class RunContent implements PanelContent {
  readonly kind = 'run' as const;
  readonly title = 'M3V Run';
  last: { uri: string; view: RunView; seq: number; trace?: string } | undefined;

  currentMessage(): HostMessage {
    if (!this.last) return staleMessage('No model run yet: use "M3V: Run Model on Image…".');
    return { v: PROTOCOL_VERSION, type: 'run', seq: this.last.seq, uri: this.last.uri, view: this.last.view };
  }
}
