/* Door check-in: read an admission ticket's QR code with the phone's back camera (jsQR),
   put it into the form and submit it. Typing an exam number works without any of this.

   The page comes back after every scan; once the camera has been allowed it opens again by
   itself, and ignores the code it has just sent, so a ticket still held up to the camera
   does not turn a green "checked in" into an amber "already checked in". */
(function () {
  "use strict";

  var box = document.getElementById("checkin-scanner");
  var form = document.getElementById("checkin-form");
  if (!box || !form || typeof window.jsQR !== "function") {
    return;
  }
  var input = form.elements.namedItem("code");
  var video = document.getElementById("checkin-video");
  var button = document.getElementById("checkin-start");
  var status = document.getElementById("checkin-camera-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var lastCode = box.dataset.lastCode || "";
  var LOOK_EVERY_MS = 150;   // ~7 frames a second is quick enough and spares the battery
  var MAX_WIDTH = 640;       // jsQR's time grows with the pixels; tickets fill the frame anyway
  var stream = null;
  var lastLook = 0;

  function say(text) {
    status.textContent = text || "";
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.classList.add("d-none");
  }

  function send(code) {
    stop();
    input.value = code;
    say(box.dataset.msgFound);
    // The form has a field named "submit", which hides form.submit().
    HTMLFormElement.prototype.submit.call(form);
  }

  function look(now) {
    if (!stream) {
      return;
    }
    if (now - lastLook >= LOOK_EVERY_MS && video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      lastLook = now;
      var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      var width = Math.round(video.videoWidth * scale);
      var height = Math.round(video.videoHeight * scale);
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height,
                              { inversionAttempts: "dontInvert" });
      if (found && found.data && found.data !== lastCode) {
        send(found.data);
        return;
      }
    }
    window.requestAnimationFrame(look);
  }

  function start() {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(box.dataset.msgNoCamera);
      button.disabled = true;
      return;
    }
    button.disabled = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (opened) {
        stream = opened;
        video.srcObject = opened;
        video.classList.remove("d-none");
        button.classList.add("d-none");
        return video.play();
      })
      .then(function () {
        say(box.dataset.msgScanning);
        window.requestAnimationFrame(look);
      })
      .catch(function () {
        stop();
        button.disabled = false;
        button.classList.remove("d-none");
        say(box.dataset.msgDenied);
      });
  }

  button.addEventListener("click", start);
  window.addEventListener("pagehide", stop);
  // Once the camera is allowed, open it again after every scan without another tap.
  if (navigator.permissions && navigator.permissions.query) {
    navigator.permissions.query({ name: "camera" })
      .then(function (permission) {
        if (permission.state === "granted") {
          start();
        }
      })
      .catch(function () { /* Firefox and Safari may not know "camera": the button remains */ });
  }
})();
