/**
 * The designer's panel area: the panels as tabs (one at a time, the whole height, so every chart is shown whole
 * — in the old half-height frames the traffic chart was cut and the memory chart lost its axis at 1024 × 700), or
 * as a resizable split (every panel at once, each frame's height dragged by its bottom edge), and a draggable
 * divider between the editor and the panels. Panel frames are adopted as they are added to `#panels` (any
 * number: a new panel is one more `PanelFrames.add`), so this module needs no list of panels.
 * Inactive tabs stay laid out at full size under the active one (visibility, not display), so chart.js in every
 * frame keeps its real size and a panel switched to is already drawn.
 */

export type PanelLayoutMode = 'tabs' | 'split';

export class PanelLayout {
  private readonly strip: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tabs = new Map<string, { tab: HTMLButtonElement; cell: HTMLElement }>();
  private activeId: string | undefined;
  mode: PanelLayoutMode = 'tabs';

  constructor(container: HTMLElement) {
    this.strip = document.createElement('div');
    this.strip.id = 'panel-tabs';
    this.strip.setAttribute('role', 'tablist');
    this.body = document.createElement('div');
    this.body.id = 'panel-body';
    this.body.className = 'tabs';
    const toggle = document.createElement('button');
    toggle.id = 'panel-layout-toggle';
    toggle.className = 'layout-toggle';
    toggle.type = 'button';
    toggle.textContent = 'Split';
    toggle.title = 'Show every panel at once, each resizable (drag its bottom edge)';
    toggle.addEventListener('click', () => {
      this.setMode(this.mode === 'tabs' ? 'split' : 'tabs');
      toggle.textContent = this.mode === 'tabs' ? 'Split' : 'Tabs';
      toggle.title = this.mode === 'tabs' ? 'Show every panel at once, each resizable (drag its bottom edge)' : 'Show one panel at a time, the whole height';
    });
    this.strip.append(toggle);
    container.append(this.strip, this.body);
    for (const frame of Array.from(container.querySelectorAll(':scope > iframe'))) this.adopt(frame as HTMLIFrameElement);
    // A frame added straight to #panels is moved into a cell (it then loads there); `add` avoids that move.
    new MutationObserver((records) => {
      for (const r of records) for (const n of Array.from(r.addedNodes)) if (n instanceof HTMLIFrameElement && n.parentElement === container) this.adopt(n);
    }).observe(container, { childList: true });
  }

  /**
   * Where a panel frame should be created (`PanelFrames.add(kind, layout.newCell(), title)`): an empty cell with its
   * tab, adopted when the frame arrives, so the frame loads once, in place.
   */
  newCell(): HTMLElement {
    const cell = document.createElement('div');
    new MutationObserver((_, observer) => {
      const frame = cell.querySelector('iframe');
      if (!frame) return;
      observer.disconnect();
      this.adopt(frame, cell);
    }).observe(cell, { childList: true });
    this.body.append(cell);
    return cell;
  }

  /** Moves a panel frame into its own cell and gives it a tab named by its title. */
  private adopt(frame: HTMLIFrameElement, existing?: HTMLElement): void {
    const id = frame.id || `panel-${this.tabs.size + 1}`;
    const cell = existing ?? document.createElement('div');
    cell.className = 'panel-cell';
    cell.dataset.panel = id;
    cell.setAttribute('role', 'tabpanel');
    if (!existing) {
      cell.append(frame);
      this.body.append(cell);
    }
    const tab = document.createElement('button');
    tab.type = 'button';
    tab.className = 'panel-tab';
    tab.id = `tab-${id}`;
    tab.setAttribute('role', 'tab');
    tab.textContent = frame.title || id;
    tab.addEventListener('click', () => this.activate(id));
    this.strip.insertBefore(tab, this.strip.querySelector('#panel-layout-toggle'));
    this.tabs.set(id, { tab, cell });
    if (!this.activeId) this.activate(id);
    else this.apply();
  }

  /** Shows the panel whose frame has this id (`panel-schedule`, …); in split mode scrolls it into view. */
  activate(id: string): void {
    if (!this.tabs.has(id)) return;
    this.activeId = id;
    this.apply();
    if (this.mode === 'split') this.tabs.get(id)!.cell.scrollIntoView({ block: 'nearest' });
  }

  get active(): string | undefined {
    return this.activeId;
  }

  setMode(mode: PanelLayoutMode): void {
    this.mode = mode;
    this.body.className = mode;
    this.apply();
  }

  private apply(): void {
    for (const [id, { tab, cell }] of this.tabs) {
      const on = id === this.activeId;
      tab.setAttribute('aria-selected', String(on));
      tab.classList.toggle('active', on);
      cell.classList.toggle('active', on || this.mode === 'split');
    }
  }
}

/** A drag handle between the editor and the panels: sets the editor column's width (kept between 240 px and 75 %). */
export function columnDivider(main: HTMLElement, editor: HTMLElement): HTMLElement {
  const handle = document.createElement('div');
  handle.id = 'column-divider';
  handle.setAttribute('role', 'separator');
  handle.setAttribute('aria-orientation', 'vertical');
  handle.title = 'Drag to resize the editor and the panels';
  editor.after(handle);
  handle.addEventListener('pointerdown', (down) => {
    handle.setPointerCapture(down.pointerId);
    const left = main.getBoundingClientRect().left;
    const move = (e: PointerEvent) => {
      const width = Math.min(main.clientWidth * 0.75, Math.max(240, e.clientX - left));
      main.style.gridTemplateColumns = `${Math.round(width)}px 6px minmax(280px, 1fr)`;
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  return handle;
}
