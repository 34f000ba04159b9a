// OAuth 2.0 Form Post Response Mode: submit the hidden form to the client at once. Without JavaScript the
// page shows a Continue button instead.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('form-post');
  if (form) form.submit();
});
