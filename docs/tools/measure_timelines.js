// Run by check_timelines.py in headless Chromium: loads each timeline page of
// JOBS ([url, width]) in a frame of that width, counts what it draws (lanes,
// their labels, arrows), measures whether the page or only the drawing's box
// scrolls sideways, clicks the first bar, and writes it all as JSON into
// <pre id="results">, which `--dump-dom` prints. check_timelines.py judges.

function measureTimeline(frame) {
  const doc = frame.contentDocument, win = frame.contentWindow;
  const svg = doc.getElementById('timeline');
  const box = doc.querySelector('.scroll');
  const labels = Array.from(doc.querySelectorAll('.lane-label'))
    .filter(l => l.getBoundingClientRect().width > 0 && l.textContent.trim() !== '');
  const bar = doc.querySelector('.span');
  let detail = '';
  if (bar) {
    bar.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    detail = doc.getElementById('details').textContent;
  }
  return {
    lanes: doc.querySelectorAll('#timeline g.lane').length,
    labels: labels.length,
    arrows: doc.querySelectorAll('#timeline .flow').length,
    pageSideways: doc.documentElement.scrollWidth - win.innerWidth,
    drawingWidth: svg ? Math.round(svg.getBoundingClientRect().width) : 0,
    boxWidth: box ? box.clientWidth : 0,
    drawingWiderThanBox: !!box && box.scrollWidth > box.clientWidth + 1,
    scrollOverflowX: box ? getComputedStyle(box).overflowX : null,
    barClicked: !!bar,
    detailAfterClick: bar ? detail !== 'Nothing chosen yet.' && detail.trim() !== '' : false,
  };
}

function loadTimeline(page, width) {
  return new Promise(resolve => {
    const frame = document.createElement('iframe');
    frame.style.width = width + 'px';
    frame.style.height = '844px';
    frame.onload = () => resolve({page, width, ...measureTimeline(frame)});
    frame.src = page;
    document.body.appendChild(frame);
  });
}

Promise.all(JOBS.map(([page, width]) => loadTimeline(page, width)))
  .then(results => { document.getElementById('results').textContent = JSON.stringify(results); })
  .catch(error => { document.getElementById('results').textContent = 'ERROR ' + error; });
