// Marks the page as having JavaScript before it is drawn (the CSS hides no-JS fallbacks with
// it). Loaded blocking from <head>, because the site's Content-Security-Policy allows no
// inline script.
document.documentElement.classList.replace("no-js", "js");
