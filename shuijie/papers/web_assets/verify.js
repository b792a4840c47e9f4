/* 抽取结果核验（shuijie-draw/1，见 DRAW-SPEC）：只用浏览器自带的 WebCrypto，不依赖任何外部脚本。
   重新计算：参数文件和检查对象名单文件的 SHA-256、承诺值 S、种子 Z、各层抽取数量、抽中名单及检查日期。
   比例向上取整用 BigInt 精确计算，不用浮点数；排序以 UTF-8 字节为准。
   结束时在 <html> 上写 data-verify="ok" 或 "mismatch"。 */
(function () {
  'use strict';
  var ALG = 'shuijie-draw/1';
  var FILES = ['parameters.json', 'population.csv', 'inspectors.csv', 'experts.csv', 'conflicts.csv'];
  var te = new TextEncoder();
  var root = document.documentElement;
  var HEX = [];
  for (var h = 0; h < 256; h++) HEX.push((h < 16 ? '0' : '') + h.toString(16));

  function $(id) { return document.getElementById(id); }
  function hex(buf) {
    var u = new Uint8Array(buf), s = '';
    for (var i = 0; i < u.length; i++) s += HEX[u[i]];
    return s;
  }
  function fromB64(text) {
    var s = atob(text.replace(/\s+/g, ''));
    var u = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    return u;
  }
  function concat(parts) {
    var n = 0, i;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var out = new Uint8Array(n), o = 0;
    for (i = 0; i < parts.length; i++) { out.set(parts[i], o); o += parts[i].length; }
    return out;
  }
  function field(b) {  // 4 字节大端长度 + UTF-8 字节
    var o = new Uint8Array(4 + b.length);
    new DataView(o.buffer).setUint32(0, b.length, false);
    o.set(b, 4);
    return o;
  }
  function enc(fields) {
    return concat(fields.map(function (f) { return field(typeof f === 'string' ? te.encode(f) : f); }));
  }
  function sha(bytes) { return crypto.subtle.digest('SHA-256', bytes).then(hex); }
  function H(fields) { return sha(enc([ALG].concat(fields))); }
  function cmpBytes(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  function cmpStr(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // H("object", Z, id) for every id: the common prefix is encoded once; hashed in batches.
  async function tickets(prefixFields, items) {
    var prefix = enc([ALG].concat(prefixFields));
    var B = 8192;
    for (var s = 0; s < items.length; s += B) {
      var batch = items.slice(s, s + B);
      var digests = await Promise.all(batch.map(function (it) {
        return crypto.subtle.digest('SHA-256', concat([prefix, field(it.b)]));
      }));
      for (var j = 0; j < batch.length; j++) batch[j].t = hex(digests[j]);
    }
  }

  // k = min(count, n) 或 min(n, ⌈n × ratio⌉)，ratio 为十进制字符串，BigInt 精确计算
  function stratumSize(n, st) {
    if (Object.prototype.hasOwnProperty.call(st, 'count')) {
      if (typeof st.count !== 'number' || !Number.isInteger(st.count) || st.count < 0) throw new Error('分层“' + st.name + '”的 count 不正确');
      return Math.min(st.count, n);
    }
    var r = st.ratio;
    if (typeof r !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(r)) throw new Error('分层“' + st.name + '”的 ratio 不正确');
    var parts = r.split('.');
    var frac = parts[1] || '';
    var num = BigInt(parts[0] + frac);
    var den = 10n ** BigInt(frac.length);
    var prod = BigInt(n) * num;
    var k = (prod + den - 1n) / den;  // 精确向上取整
    return k < BigInt(n) ? Number(k) : n;
  }

  function readCsv(text, header) {
    var lines = text.split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    if (!lines.length || lines[0] !== header.join(',')) throw new Error('表头应为 ' + header.join(','));
    var rows = [];
    for (var i = 1; i < lines.length; i++) {
      var c = lines[i].split(',');
      if (c.length !== header.length) throw new Error('第 ' + (i + 1) + ' 行应有 ' + header.length + ' 列');
      rows.push(c);
    }
    return rows;
  }

  function shownMatches(shown, id) {  // 页面上自然人身份证号码以 * 遮盖：* 处不比较
    if (shown.length !== id.length) return false;
    for (var i = 0; i < id.length; i++) if (shown[i] !== '*' && shown[i] !== id[i]) return false;
    return true;
  }

  function cells(tableId) {
    var t = $(tableId);
    if (!t) return null;
    return Array.prototype.map.call(t.tBodies[0].rows, function (tr) {
      return Array.prototype.map.call(tr.cells, function (td) { return td.textContent.trim(); });
    });
  }

  var out = $('verify-steps'), headline = $('verify-result');
  function step(ok, text) {
    var li = document.createElement('li');
    li.className = ok ? 'ok' : 'bad';
    li.textContent = (ok ? '✓ ' : '✗ ') + text;
    out.appendChild(li);
  }
  function finish(ok, text) {
    headline.textContent = ok ? '验证一致' : '验证不一致：' + text;
    headline.className = ok ? 'ok' : 'bad';
    root.setAttribute('data-verify', ok ? 'ok' : 'mismatch');
  }

  async function verify(popBytes, source) {
    var t0 = performance.now();
    out.textContent = '';
    headline.className = '';
    headline.textContent = '正在核验……';
    root.setAttribute('data-verify', 'running');
    var D = JSON.parse($('round-data').textContent);
    function fail(text) { step(false, text); finish(false, text); return false; }
    try {
      var paramBytes = fromB64($('parameters').textContent);
      var hp = await sha(paramBytes);
      if (hp !== D.sha256['parameters.json']) return fail('参数文件（parameters.json）的 SHA-256 为 ' + hp + '，与公告的 ' + D.sha256['parameters.json'] + ' 不一致');
      step(true, '参数文件（parameters.json）SHA-256 与公告一致');
      var hpop = await sha(popBytes);
      if (hpop !== D.sha256['population.csv']) return fail(source + '的 SHA-256 为 ' + hpop + '，与公告的 ' + D.sha256['population.csv'] + ' 不一致');
      step(true, source + ' SHA-256 与公告一致');
      var P = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(paramBytes));
      if (P.plan_id !== D.plan_id) return fail('参数文件中的方案编号为 ' + P.plan_id + '，与页面的 ' + D.plan_id + ' 不一致');
      var hashes = FILES.map(function (f) { return f === 'parameters.json' ? hp : f === 'population.csv' ? hpop : D.sha256[f]; });
      var S = await H(['commit', P.plan_id].concat(hashes));
      if (S !== D.commitment) return fail('重新计算的承诺值 S 为 ' + S + '，与公告的 ' + D.commitment + ' 不一致');
      step(true, '承诺值 S 重新计算一致');
      var Z = await H(['seed', S].concat(D.public_random));
      if (Z !== D.seed) return fail('重新计算的种子 Z 为 ' + Z + '，与页面的 ' + D.seed + ' 不一致');
      step(true, '随机种子 Z 重新计算一致');

      var rows = readCsv(new TextDecoder('utf-8', { fatal: true }).decode(popBytes), ['object_id', 'stratum', 'area']);
      var byStratum = new Map(), areaOf = new Map();
      rows.forEach(function (r) {
        if (!byStratum.has(r[1])) byStratum.set(r[1], []);
        byStratum.get(r[1]).push({ id: r[0], b: te.encode(r[0]), st: r[1] });
        areaOf.set(r[0], r[2]);
      });
      var drawn = [], counts = [];
      for (var si = 0; si < P.strata.length; si++) {
        var st = P.strata[si];
        var items = byStratum.get(st.name) || [];
        var k = stratumSize(items.length, st);
        await tickets(['object', Z], items);
        items.sort(function (a, b) { return cmpStr(a.t, b.t) || cmpBytes(a.b, b.b); });
        drawn = drawn.concat(items.slice(0, k));
        counts.push([st.name, items.length, k]);
      }
      var shownStrata = cells('strata') || [];
      for (var c = 0; c < counts.length || c < shownStrata.length; c++) {
        var a = counts[c], s = shownStrata[c];
        // 列：分层、抽取规则、检查对象数、抽取数
        if (!a || !s || a[0] !== s[0] || String(a[1]) !== s[2] || String(a[2]) !== s[3]) {
          return fail('分层第 ' + (c + 1) + ' 行：页面为 ' + (s ? [s[0], s[2], s[3]].join(' / ') : '（无）') + '，重新计算为 ' + (a ? a.join(' / ') : '（无）'));
        }
      }
      step(true, '各层检查对象数和抽取数量一致（共 ' + rows.length + ' 户，抽取 ' + drawn.length + ' 户）');

      var byArea = (P.schedule || {}).group_by === 'area';
      drawn.forEach(function (o) { o.g = byArea ? te.encode(areaOf.get(o.id)) : new Uint8Array(0); });
      drawn.sort(function (a, b) { return cmpBytes(a.g, b.g) || cmpStr(a.t, b.t) || cmpBytes(a.b, b.b); });
      var days = P.working_days, d = BigInt(days.length), kAll = BigInt(drawn.length);
      if (drawn.length && !days.length) return fail('参数文件中没有工作日');
      drawn.forEach(function (o, i) { o.date = days[Number(BigInt(i) * d / kAll)]; });
      var lines = drawn.map(function (o) { return o.id + ',' + o.st + ',' + o.date + '\n'; }).join('');
      root.setAttribute('data-selection-sha256', await sha(te.encode(lines)));

      var shown = cells('drawn');
      if (shown) {  // 列：序号、名称、代码、分层、检查日期
        for (var i = 0; i < Math.max(shown.length, drawn.length); i++) {
          var o = drawn[i], r = shown[i];
          if (!o || !r || !shownMatches(r[2], o.id) || r[3] !== o.st || r[4] !== o.date) {
            return fail('抽中名单第 ' + (i + 1) + ' 行：页面为 ' + (r ? r[2] + '（' + r[3] + '，' + r[4] + '）' : '（无）') +
              '，重新计算为 ' + (o ? (r && shownMatches(r[2], o.id) ? r[2] : '另一对象') + '（' + o.st + '，' + o.date + '）' : '（无）'));
          }
        }
        step(true, '抽中名单、所属分层及检查日期逐行一致（' + drawn.length + ' 户）');
      } else {
        step(true, '本页未公布抽中名单；已重新计算，结果摘要 SHA-256：' + root.getAttribute('data-selection-sha256'));
      }
      root.setAttribute('data-verify-ms', String(Math.round(performance.now() - t0)));
      finish(true, '');
      return true;
    } catch (e) {
      return fail('无法完成核验：' + (e && e.message ? e.message : e));
    }
  }

  function load(file) {
    if (!file) return;
    var fr = new FileReader();
    fr.onload = function () { verify(new Uint8Array(fr.result), '所选文件“' + file.name + '”'); };
    fr.onerror = function () { finish(false, '无法读取所选文件'); };
    fr.readAsArrayBuffer(file);
  }

  function start() {
    if (!window.crypto || !crypto.subtle || typeof BigInt === 'undefined') {
      headline.textContent = '本浏览器不支持 WebCrypto 或 BigInt，无法在页面内核验，请换用新版浏览器。';
      root.setAttribute('data-verify', 'unsupported');
      return;
    }
    var embedded = $('population');
    if (embedded) {
      verify(fromB64(embedded.textContent), '检查对象名单文件（population.csv，随页面公开）');
      return;
    }
    root.setAttribute('data-verify', 'waiting');
    headline.textContent = '请载入检查对象名单文件 population.csv（点击选择或拖放到下方区域）。';
    var input = $('population-file'), zone = $('drop-zone');
    input.addEventListener('change', function () { load(input.files[0]); });
    zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      load(e.dataTransfer && e.dataTransfer.files[0]);
    });
  }
  start();
})();
