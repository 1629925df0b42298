// Accessibility fixes for Element Plus widgets that axe-core flags.
import type { Directive } from "vue";

function makeScrollersFocusable(root: HTMLElement, label: string | undefined): void {
  for (const scroller of root.querySelectorAll<HTMLElement>(".el-scrollbar__wrap")) {
    // A region that scrolls must be reachable by keyboard (axe: scrollable-region-focusable).
    scroller.tabIndex = 0;
    scroller.setAttribute("role", "region");
    if (label) scroller.setAttribute("aria-label", label);
  }
}

/** `v-scroll-focusable="'表格名称'"` on an ElTable: its scrolling areas take keyboard focus and a name. */
export const vScrollFocusable: Directive<HTMLElement, string | undefined> = {
  mounted: (el, binding) => makeScrollersFocusable(el, binding.value),
  updated: (el, binding) => makeScrollersFocusable(el, binding.value),
};
