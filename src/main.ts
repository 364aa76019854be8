/**
 * The page's entry point: the only module that touches real browser globals.
 * It wires storage, location and the sandbox into the app element.
 */
import './ui/page.css';

const root = document.querySelector('spp-app');
if (root) root.innerHTML = '<div class="spp-boot">Service Patterns Playground: the editor is on its way.</div>';
