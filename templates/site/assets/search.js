/* pmctl site: search in the browser, with no server.
 *
 * The index is a set of <script> files written at build time (search/manifest.js,
 * search/N-docs.js, search/N-M.js): a page opened from file:// may run scripts next to it
 * but may not fetch() them. A query loads only the shards its tokens live in.
 * The tokenizer here must match pmctl/domain/site/search_tokens.py.
 */
(function () {
  "use strict";
  var CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  var LETTERS = "0-9a-z\\u00c0-\\u024f\\u0370-\\u03ff\\u0400-\\u04ff";
  var PIECES = new RegExp("[" + CJK + "]+|[" + LETTERS + "]+", "gu");
  var IS_CJK = new RegExp("^[" + CJK + "]", "u");
  var LIMIT = 100;
  var root = document.body.getAttribute("data-root") || "";
  var manifest = null;
  var docs = {};
  var shards = {};
  var loading = {};

  window.pmctlSearch = {
    manifest: function (value) { manifest = value; },
    docs: function (segment, list) { docs[segment] = list; },
    shard: function (segment, shard, postings) { shards[segment + "-" + shard] = postings; }
  };

  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "search/" + name + ".js";
        script.onload = resolve;
        script.onerror = function () { reject(new Error("cannot load search/" + name + ".js")); };
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  function fnv1a(text) {
    var hash = 0x811c9dc5;
    for (var char of text) {
      hash = Math.imul((hash ^ char.codePointAt(0)) >>> 0, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  /* A query's terms: each is a list of tokens that must all be in a document. */
  function terms(query) {
    var normal = query.normalize("NFKC").toLowerCase();
    var pieces = normal.match(PIECES) || [];
    var result = [];
    pieces.forEach(function (piece, index) {
      var chars = Array.from(piece);
      if (IS_CJK.test(piece)) {
        if (chars.length === 1) { result.push({ token: piece, prefix: false }); }
        for (var i = 0; i + 1 < chars.length; i += 1) {
          result.push({ token: chars[i] + chars[i + 1], prefix: false });
        }
      } else if (chars.length >= 2) {
        result.push({ token: piece, prefix: index === pieces.length - 1 && chars.length >= manifest.prefix });
      }
    });
    return result;
  }

  function shardOf(token) {
    return fnv1a(Array.from(token).slice(0, manifest.prefix).join("")) % manifest.shards;
  }

  function postings(segment, term) {
    var map = shards[segment + "-" + shardOf(term.token)];
    var found = new Set();
    if (!map) { return found; }
    if (!term.prefix) {
      (map[term.token] || []).forEach(function (n) { found.add(n); });
      return found;
    }
    Object.keys(map).forEach(function (token) {
      if (token.lastIndexOf(term.token, 0) === 0) {
        map[token].forEach(function (n) { found.add(n); });
      }
    });
    return found;
  }

  function search(query) {
    var wanted = terms(query);
    if (!wanted.length) { return Promise.resolve([]); }
    var segments = Object.keys(manifest.present);
    var needed = [];
    segments.forEach(function (segment) {
      var present = manifest.present[segment];
      wanted.forEach(function (term) {
        if (present.indexOf(shardOf(term.token)) >= 0) {
          needed.push(load(segment + "-" + shardOf(term.token)));
        }
      });
    });
    return Promise.all(needed).then(function () {
      var hits = [];
      segments.forEach(function (segment) {
        var matched = null;
        wanted.forEach(function (term) {
          var found = postings(segment, term);
          matched = matched === null ? found : new Set(Array.from(matched).filter(function (n) { return found.has(n); }));
        });
        if (matched && matched.size) { hits.push([segment, matched]); }
      });
      return Promise.all(hits.map(function (hit) { return load(hit[0] + "-docs"); })).then(function () {
        var results = [];
        hits.forEach(function (hit) {
          hit[1].forEach(function (n) { results.push(docs[hit[0]][n]); });
        });
        var phrase = query.normalize("NFKC").toLowerCase().trim();
        results.sort(function (a, b) {
          var ta = a[1].normalize("NFKC").toLowerCase().indexOf(phrase) >= 0 ? 0 : 1;
          var tb = b[1].normalize("NFKC").toLowerCase().indexOf(phrase) >= 0 ? 0 : 1;
          return (ta - tb) || (a[2] < b[2] ? 1 : (a[2] > b[2] ? -1 : (a[0] < b[0] ? -1 : 1)));
        });
        return results;
      });
    });
  }

  function show(query, results) {
    var box = document.getElementById("search");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    list.textContent = "";
    status.textContent = results.length
      ? box.getAttribute("data-results").replace("{n}", String(results.length))
      : box.getAttribute("data-none");
    results.slice(0, LIMIT).forEach(function (entry) {
      /* entry: [id, title, date, severity, status, language, excerpt] */
      var item = document.createElement("li");
      item.setAttribute("lang", entry[5]);
      var link = document.createElement("a");
      link.href = root + "pm/" + entry[0] + ".html";
      link.textContent = entry[1];
      var meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = entry[2] + " · " + entry[3] + " · " + entry[4];
      item.appendChild(link);
      item.appendChild(meta);
      if (entry[6]) {
        var excerpt = document.createElement("p");
        excerpt.className = "excerpt";
        excerpt.textContent = entry[6];
        item.appendChild(excerpt);
      }
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(location.search).get("q") || "";
  var input = document.getElementById("q");
  if (input) { input.value = query; }
  if (!document.getElementById("search") || !query.trim()) { return; }
  load("manifest").then(function () { return search(query); }).then(function (results) {
    show(query, results);
  });
}());
