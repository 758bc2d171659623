/* Scanning an asset-tag label with the tablet's camera.
 *
 * The header's "Scan" button appears only where the browser can really do it: BarcodeDetector,
 * getUserMedia and a secure context (HTTPS or localhost). It opens the rear camera in a dialog,
 * reads QR codes (and Code 128 where supported) until one holds an asset tag, bare or as a
 * label's public URL https://<host>/d/<TAG>, then stops the camera and submits the header's jump
 * form with that tag, so the server's canonicalisation and "unknown tag" handling apply.
 * Every text comes from the template (data-* attributes of the dialog), already translated.
 */
(function () {
  'use strict';

  var opener = document.getElementById('scan-open');
  var template = document.getElementById('scan-template');
  var form = opener && opener.form;
  if (!opener || !template || !form) return;
  var canScan = 'BarcodeDetector' in window && window.isSecureContext &&
    !!(navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function') &&
    typeof HTMLDialogElement === 'function';
  if (!canScan) return;

  // The dialog lives in a <template> until first used, out of the page and its accessibility tree.
  var dialog = null;
  var video = null;
  var status = null;
  var input = form.elements.tag;
  var ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  var CHECK_ALPHABET = ALPHABET + '*~$=U';
  var ALIASES = {I: '1', L: '1', O: '0'};
  var INTERVAL_MS = 150;
  var stream = null;
  var timer = null;
  var session = 0; // bumped on every open and close, so a late camera or detection is dropped

  /* The canonical tag in a typed or scanned text, or null. The check symbol is verified here
   * (the same mod-37 rule as workshop/services/asset_tags.py) because the back of a PC carries
   * many Code 128 barcodes (serial, part numbers) that must not open a device page. */
  function tagOf(text) {
    var cleaned = text.toUpperCase().replace(/[-\s]/g, '');
    if (cleaned.length !== 9) return null;
    cleaned = cleaned.replace(/[ILO]/g, function (c) { return ALIASES[c]; });
    var value = 0;
    for (var i = 0; i < 8; i++) {
      var index = ALPHABET.indexOf(cleaned[i]);
      if (index < 0) return null;
      value = (value * 32 + index) % 37; // stays exact: never above 36 * 32 + 31
    }
    return CHECK_ALPHABET[value] === cleaned[8] ? cleaned : null;
  }

  /* The tag of a bare tag or of a label URL .../d/<TAG> on any host, or null. */
  function scannedTag(raw) {
    var text = raw.trim();
    if (/^https?:\/\//i.test(text)) {
      var url;
      try {
        url = new URL(text);
      } catch (e) {
        return null;
      }
      var match = url.pathname.match(/\/d\/([^/]+)\/?$/);
      if (!match) return null;
      try {
        return tagOf(decodeURIComponent(match[1]));
      } catch (e) {
        return null;
      }
    }
    return tagOf(text);
  }

  function say(text) {
    status.textContent = text;
  }

  function stopCamera() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
  }

  function cameraProblem(error) {
    var name = error && error.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') return dialog.dataset.denied;
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return dialog.dataset.absent;
    return dialog.dataset.failed;
  }

  function formatsFor() {
    var wanted = ['qr_code', 'code_128'];
    if (typeof window.BarcodeDetector.getSupportedFormats !== 'function') {
      return Promise.resolve(['qr_code']);
    }
    return window.BarcodeDetector.getSupportedFormats().then(function (supported) {
      var formats = wanted.filter(function (f) { return supported.indexOf(f) >= 0; });
      return formats.length ? formats : ['qr_code'];
    }, function () { return ['qr_code']; });
  }

  function found(tag) {
    stopCamera();
    say(dialog.dataset.found.replace('{tag}', tag));
    input.value = tag;
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.submit();
  }

  function look(detector, mine) {
    if (mine !== session) return;
    var ready = video.readyState >= 2 && video.videoWidth > 0;
    var detection = ready ? detector.detect(video) : Promise.resolve([]);
    Promise.resolve(detection).then(function (codes) {
      if (mine !== session) return;
      for (var i = 0; i < codes.length; i++) {
        var raw = String(codes[i].rawValue || '');
        if (!raw) continue;
        var tag = scannedTag(raw);
        if (tag) {
          found(tag);
          return;
        }
        var shown = raw.length > 80 ? raw.slice(0, 79) + '…' : raw;
        say(dialog.dataset.foreign.replace('{value}', shown));
      }
      timer = setTimeout(function () { look(detector, mine); }, INTERVAL_MS);
    }, function () {
      // A frame the detector could not read: try the next one.
      if (mine === session) timer = setTimeout(function () { look(detector, mine); }, INTERVAL_MS);
    });
  }

  function open() {
    if (!dialog) build();
    var mine = ++session;
    say(dialog.dataset.starting);
    video.hidden = false;
    dialog.showModal();
    document.getElementById('scan-cancel').focus();
    var camera;
    try {
      camera = navigator.mediaDevices.getUserMedia({
        video: {facingMode: {ideal: 'environment'}}, audio: false,
      });
    } catch (error) {
      camera = Promise.reject(error);
    }
    Promise.all([camera, formatsFor()]).then(function (results) {
      var media = results[0];
      if (mine !== session) { // closed while the camera was opening
        media.getTracks().forEach(function (track) { track.stop(); });
        return;
      }
      stream = media;
      video.srcObject = media;
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () {});
      var detector = new window.BarcodeDetector({formats: results[1]});
      say(dialog.dataset.looking);
      look(detector, mine);
    }).catch(function (error) {
      if (mine !== session) return;
      stopCamera();
      video.hidden = true; // no black box where there is no picture
      say(cameraProblem(error));
    });
  }

  // The camera stops before the dialog closes: the dialog's "close" event comes later (a queued
  // task), and the camera must not stay on in between.
  function release() {
    session++;
    stopCamera();
  }

  function close() {
    release();
    if (dialog.open) dialog.close();
    opener.focus();
  }

  function build() {
    document.body.appendChild(template.content.cloneNode(true));
    dialog = document.getElementById('scan-dialog');
    video = document.getElementById('scan-video');
    status = document.getElementById('scan-status');
    dialog.addEventListener('close', function () {
      release(); // however it was closed
      opener.focus();
    });
    dialog.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { // and not only the browser's cancel, which may be ignored
        event.preventDefault();
        close();
      }
    });
    document.getElementById('scan-cancel').addEventListener('click', close);
  }

  opener.addEventListener('click', open);
  opener.hidden = false;
}());
