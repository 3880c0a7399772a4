// Run by check_dom.py in headless Chromium: loads each page of JOBS ([url, width])
// in a frame of that width, measures what a reader would see (where code blocks,
// Go/C++ pairs and the previous/next links are, whether the menu opens) and
// writes it as JSON into <pre id="results">, which `--dump-dom` prints.
// check_dom.py decides what is wrong; this file only measures.

function box(element) {
  if (!element) return null;
  const r = element.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width};
}

function shown(element) {
  return !!element && !element.closest('details:not([open])') &&
         element.getClientRects().length > 0 && box(element).width > 0;
}

function codeBlocks(doc) {
  const out = [];
  for (const block of doc.querySelectorAll('div.contents div.fragment, div.contents pre.fragment')) {
    if (!shown(block)) continue;  // inside a closed fold
    const style = getComputedStyle(block);
    out.push({box: box(block), container: box(block.parentElement),
              scrolls: block.scrollWidth > block.clientWidth + 1,
              overflowX: style.overflowX,
              text: block.textContent.trim().slice(0, 60)});
  }
  return out;
}

function pairs(doc) {
  return Array.from(doc.querySelectorAll('div.gopair'), pair => ({
    go: box(pair.querySelector('.goside div.fragment')),
    cpp: box(pair.querySelector('.cppside div.fragment')),
  }));
}

function link(doc, selector) {
  const a = doc.querySelector(selector);
  return a && shown(a) ? a.getAttribute('href') : null;
}

function sidebar(doc) {
  const item = doc.querySelector('#nav-tree .item');
  const sync = doc.getElementById('nav-sync');
  const covered = [];
  if (shown(sync)) {
    const s = box(sync);
    for (const label of doc.querySelectorAll('#nav-tree .label')) {
      const l = box(label);
      // Sharing a row is enough: a long entry, or a narrower sidebar, runs under the button.
      if (l.width > 0 && l.top < s.bottom && s.top < l.bottom)
        covered.push(label.textContent.trim());
    }
  }
  return {entries: Array.from(doc.querySelectorAll('#nav-tree .label'), l => l.textContent.trim()),
          textOverflow: item ? getComputedStyle(item).textOverflow : null,
          whiteSpace: item ? getComputedStyle(item).whiteSpace : null,
          labels: doc.querySelectorAll('#nav-tree .label').length,
          coveredBySync: covered};
}

function menu(doc) {
  const button = doc.getElementById('course-menu');
  const side = doc.getElementById('side-nav');
  const before = shown(side);
  if (!shown(button)) return {button: false, sidebarBefore: before, sidebarAfter: before};
  button.click();
  const after = shown(side) && box(side).width > 150;
  button.click();
  return {button: true, sidebarBefore: before, sidebarAfter: after,
          closedAgain: !shown(side) || getComputedStyle(side).display === 'none'};
}

function measure(frame) {
  const doc = frame.contentDocument, win = frame.contentWindow;
  const content = doc.getElementById('doc-content');
  return {
    viewport: win.innerWidth,
    sideways: content ? content.scrollWidth - content.clientWidth : null,
    code: codeBlocks(doc),
    pairs: pairs(doc),
    // Doxygen's highlighting of the C++ shown outside folds (the Go is ours).
    highlighted: Array.from(doc.querySelectorAll(
      'div.fragment:not(.go) span.keyword, div.fragment:not(.go) span.keywordtype, ' +
      'div.fragment:not(.go) span.keywordflow, div.fragment:not(.go) span.stringliteral, ' +
      'div.fragment:not(.go) span.comment, div.fragment:not(.go) a.code')).filter(shown).length,
    prev: link(doc, '.pager-prev a'),
    next: link(doc, '.pager-next a'),
    exerciseHeadings: Array.from(doc.querySelectorAll('div.contents h2, div.contents h1'))
      .filter(h => /^Exercises\b/.test(h.textContent.trim())).length,
    search: shown(doc.getElementById('MSearchBox')),
    sidebar: sidebar(doc),
    menu: menu(doc),
  };
}

function load(page, width) {
  return new Promise(resolve => {
    const frame = document.createElement('iframe');
    frame.style.width = width + 'px';
    frame.style.height = '844px';
    frame.onload = () => {
      let polls = 0;
      const ready = () => {   // the sidebar's entries arrive after the page's own load
        const doc = frame.contentDocument;
        if (doc && (doc.querySelector('#nav-tree .label') || ++polls > 40)) {
          resolve({page, width, ...measure(frame)});
        } else {
          setTimeout(ready, 100);
        }
      };
      ready();
    };
    frame.src = page;
    document.body.appendChild(frame);
  });
}

Promise.all(JOBS.map(([page, width]) => load(page, width)))
  .then(results => { document.getElementById('results').textContent = JSON.stringify(results); })
  .catch(error => { document.getElementById('results').textContent = 'ERROR ' + error; });
