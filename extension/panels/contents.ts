/**
 * What each panel shows, derived from the active design's latest analysis. Panel-local options (a budget to
 * highlight, compare mode, the simulated scenario, the last model run) live here, not in the webview, so the
 * host can rebuild the view after every keystroke.
 */
import { PROTOCOL_VERSION, type HostMessage, type RunView } from '../../webviews/protocol';
import { resourcesMessage, scheduleMessage, selectionMessage, staleMessage } from '../../webviews/host/messages';
import type { ActiveDesign } from '../activeDesign';
import type { PanelContent } from './panelHost';

export class ResourcesContent implements PanelContent {
  readonly kind = 'resources' as const;
  readonly title = 'M3V Resources';
  focusBudget: string | undefined;

  constructor(private readonly design: ActiveDesign) {}

  currentMessage(): HostMessage {
    return resourcesMessage(this.shown(), this.focusBudget);
  }

  selectionMessage(): HostMessage | undefined {
    return selectionMessage(this.shown());
  }

  private shown() {
    const u = this.design.current;
    return { ...u, uri: u.uri?.toString() };
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
    return scheduleMessage({ ...u, uri: u.uri?.toString() }, { compare: this.compare, scenario: this.scenario });
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
