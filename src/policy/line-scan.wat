;; The line facts of a message in one pass (src/policy/line-facts.ts loads it): 32 bytes at a
;; time, SIMD compares find the CRs and LFs, and only those bytes are looked at one by one. The
;; loops it replaces called Buffer#indexOf once per line per question (≈ 30 ns a call, three to
;; five passes over every line of every message); this is ≈ 0.25 ms a MB for all of them.
;;
;; Source of src/policy/line-scan-wasm.ts: `npm run build:wasm` (wabt) rewrites that file, and
;; test/unit/policy/line-facts.test.ts fails when the two differ.
;;
;; scan(len): the message is at [64, 64 + len) of memory (memory ≥ 64 + len + 32: the last
;; loads read past the end and the mask drops those bytes). Returns 1 as soon as a CR or LF is
;; not part of a CRLF (the caller then uses its byte-by-byte rules), else 0 with the facts as f64
;; at 0 flags (2: a line starts with "."), 8 lines, 16 longest line, 24 content record bytes
;; (queue-size.ts contentRecordBytes), 32 queue file size (content.ts deliveryFacts), 40 lines of
;; a non-zero multiple of 2048 bytes (the only lines a header and a body line cost differently).
(module
  (memory (export "memory") 1)
  (global $flags (mut i32) (i32.const 0))
  (global $lines (mut i64) (i64.const 0))
  (global $longest (mut i32) (i32.const 0))
  (global $content (mut i64) (i64.const 0))
  (global $queue (mut i64) (i64.const 0))
  (global $inHeaders (mut i32) (i32.const 1))
  (global $exact (mut i64) (i64.const 0))

  ;; rec_put(): a type byte, the length in 7-bit groups, the bytes
  (func $rec (param $len i32) (result i64)
    (i64.extend_i32_u
      (i32.add (local.get $len)
        (select (i32.const 2)
          (select (i32.const 3) (i32.const 4) (i32.lt_u (local.get $len) (i32.const 16384)))
          (i32.lt_u (local.get $len) (i32.const 128))))))

  ;; full records of 2048 bytes and the rest
  (func $cost (param $len i32) (param $full i32) (result i64)
    (i64.add
      (i64.mul (i64.extend_i32_u (local.get $full)) (i64.const 2051))
      (call $rec (i32.sub (local.get $len) (i32.shl (local.get $full) (i32.const 11))))))

  (func $line (param $start i32) (param $len i32)
    (local $head i64)
    (global.set $lines (i64.add (global.get $lines) (i64.const 1)))
    (if (i32.gt_u (local.get $len) (global.get $longest)) (then (global.set $longest (local.get $len))))
    (if (i32.eq (i32.load8_u (local.get $start)) (i32.const 0x2e)) (then (global.set $flags (i32.or (global.get $flags) (i32.const 2)))))
    (if (i32.eqz (local.get $len)) (then (global.set $inHeaders (i32.const 0))))
    (if (i32.and (i32.ne (local.get $len) (i32.const 0)) (i32.eqz (i32.and (local.get $len) (i32.const 2047))))
      (then (global.set $exact (i64.add (global.get $exact) (i64.const 1)))))
    ;; a header line of N*2048 bytes is N records; a body line of N*2048 bytes ends in an empty one
    (local.set $head
      (call $cost (local.get $len)
        (select (i32.shr_u (i32.sub (local.get $len) (i32.const 1)) (i32.const 11)) (i32.const 0) (local.get $len))))
    (global.set $content (i64.add (global.get $content) (local.get $head)))
    (global.set $queue (i64.add (global.get $queue)
      (if (result i64) (global.get $inHeaders)
        (then (local.get $head))
        (else (call $cost (local.get $len) (i32.shr_u (local.get $len) (i32.const 11))))))))

  ;; scan(len): the bytes at [64, 64 + len), memory ≥ 64 + len + 32. Returns 0 when every CR
  ;; and LF is part of a CRLF (the facts at 0..48 are then valid), 1 when not.
  (func (export "scan") (param $len i32) (result i32)
    (local $p i32) (local $end i32) (local $m i32) (local $q i32) (local $start i32) (local $v v128) (local $w v128)
    (global.set $flags (i32.const 0))
    (global.set $lines (i64.const 0))
    (global.set $longest (i32.const 0))
    (global.set $content (i64.const 0))
    (global.set $queue (i64.const 0))
    (global.set $inHeaders (i32.const 1))
    (global.set $exact (i64.const 0))
    (local.set $p (i32.const 64))
    (local.set $start (i32.const 64))
    (local.set $end (i32.add (i32.const 64) (local.get $len)))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $w (v128.load offset=16 (local.get $p)))
        (local.set $m (i32.or
          (i8x16.bitmask (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))) (i8x16.eq (local.get $v) (i8x16.splat (i32.const 13)))))
          (i32.shl
            (i8x16.bitmask (v128.or (i8x16.eq (local.get $w) (i8x16.splat (i32.const 10))) (i8x16.eq (local.get $w) (i8x16.splat (i32.const 13)))))
            (i32.const 16))))
        (if (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $end))
          (then (local.set $m (i32.and (local.get $m)
            (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $end) (local.get $p))) (i32.const 1))))))
        (block $bits
          (loop $each
            (br_if $bits (i32.eqz (local.get $m)))
            (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $m))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (if (i32.eq (i32.load8_u (local.get $q)) (i32.const 13))
              (then
                ;; a CR must be followed by an LF (the LF ends the line)
                (if (i32.or (i32.ge_u (i32.add (local.get $q) (i32.const 1)) (local.get $end))
                            (i32.ne (i32.load8_u (i32.add (local.get $q) (i32.const 1))) (i32.const 10)))
                  (then (return (i32.const 1)))))
              (else
                ;; an LF must follow a CR
                (if (i32.or (i32.eq (local.get $q) (i32.const 64))
                            (i32.ne (i32.load8_u (i32.sub (local.get $q) (i32.const 1))) (i32.const 13)))
                  (then (return (i32.const 1))))
                (call $line (local.get $start) (i32.sub (i32.sub (local.get $q) (i32.const 1)) (local.get $start)))
                (local.set $start (i32.add (local.get $q) (i32.const 1)))))
            (br $each)))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $chunks)))
    (if (i32.lt_u (local.get $start) (local.get $end))
      (then (call $line (local.get $start) (i32.sub (local.get $end) (local.get $start)))))
    (f64.store (i32.const 0) (f64.convert_i32_u (global.get $flags)))
    (f64.store (i32.const 8) (f64.convert_i64_u (global.get $lines)))
    (f64.store (i32.const 16) (f64.convert_i32_u (global.get $longest)))
    (f64.store (i32.const 24) (f64.convert_i64_u (global.get $content)))
    (f64.store (i32.const 32) (f64.convert_i64_u (global.get $queue)))
    (f64.store (i32.const 40) (f64.convert_i64_u (global.get $exact)))
    (i32.const 0)))
