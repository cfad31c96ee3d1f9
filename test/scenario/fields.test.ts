import { describe, expect, it } from 'vitest';
import { checkBoolean, checkChoice, checkDuration, checkInteger, checkPercent, checkRate, checkSize, checkText, describeInput, quote } from '../../src/scenario/fields.js';

const TiB = 1024 ** 4;
const memory = { max: 64 * TiB, maxText: '64TiB', positive: true };
const disk = { max: 1024 * TiB, maxText: '1024TiB (1 PiB)', positive: false };

describe('checkSize', () => {
  it('turns sizes into whole bytes', () => {
    expect(checkSize('96MiB', memory)).toEqual({ ok: true, value: 96 * 1024 * 1024 });
    expect(checkSize('2 GB', memory)).toEqual({ ok: true, value: 2_000_000_000 });
    expect(checkSize(0, disk)).toEqual({ ok: true, value: 0 });
    expect(checkSize('0', disk)).toEqual({ ok: true, value: 0 });
  });
  it('refuses zero where a size must be positive', () => {
    expect(checkSize(0, memory)).toMatchObject({ ok: false, message: 'must be larger than 0; expected a size above 0, up to 64TiB' });
  });
  it('refuses negative, NaN and infinite values', () => {
    expect(checkSize('-1MiB', disk)).toMatchObject({ ok: false, message: expect.stringContaining('cannot be negative ("-1MiB")') });
    expect(checkSize(-5, disk)).toMatchObject({ ok: false, message: expect.stringContaining('cannot be negative (-5)') });
    expect(checkSize(Number.NaN, disk)).toMatchObject({ ok: false, message: expect.stringContaining('.nan (not a number)') });
    expect(checkSize(Number.POSITIVE_INFINITY, disk)).toMatchObject({ ok: false, message: expect.stringContaining('is infinite') });
  });
  it('refuses absurd sizes at the cap + 1 unit, accepts the cap', () => {
    expect(checkSize('64TiB', memory)).toEqual({ ok: true, value: 64 * TiB });
    expect(checkSize('65TiB', memory)).toMatchObject({ ok: false, message: '"65TiB" is absurdly large; the largest size accepted here is 64TiB' });
  });
  it('needs a unit, and suggests the unit meant', () => {
    expect(checkSize(64, memory)).toMatchObject({ ok: false, message: expect.stringContaining('needs a unit, e.g. "64MiB"') });
    expect(checkSize('64Mib', memory)).toMatchObject({ ok: false, message: expect.stringContaining('unknown size unit "Mib"'), suggestion: '64MiB' });
    expect(checkSize('64 bytes', memory)).toMatchObject({ ok: false });
  });
  it('says what was found for other types', () => {
    expect(checkSize(undefined, memory)).toMatchObject({ ok: false, message: expect.stringMatching(/^is required: a size such as "96MiB"/) });
    expect(checkSize(null, memory)).toMatchObject({ ok: false, message: expect.stringMatching(/^is empty; expected a size/) });
    expect(checkSize([1], memory)).toMatchObject({ ok: false, message: expect.stringContaining('got a list') });
  });
});

describe('checkDuration', () => {
  const day = { max: 86_400_000, maxText: '1 day (1440min)', positive: false };
  it('turns durations into ms', () => {
    expect(checkDuration('250ms', day)).toEqual({ ok: true, value: 250 });
    expect(checkDuration('1.5s', day)).toEqual({ ok: true, value: 1500 });
    expect(checkDuration('1440min', day)).toEqual({ ok: true, value: 86_400_000 });
  });
  it('refuses more than a day, unknown units and negatives', () => {
    expect(checkDuration('1441min', day)).toMatchObject({ ok: false, message: expect.stringContaining('absurdly large') });
    expect(checkDuration('2sec', day)).toMatchObject({ ok: false, message: expect.stringContaining('unknown duration unit "sec"') });
    expect(checkDuration('-1s', day)).toMatchObject({ ok: false, message: expect.stringContaining('cannot be negative') });
  });
});

describe('checkInteger', () => {
  it('accepts whole numbers in range', () => {
    expect(checkInteger(1_000_000, 1, 10_000_000)).toEqual({ ok: true, value: 1_000_000 });
  });
  it.each([
    [0, 'must be at least 1, got 0'],
    [-3, 'cannot be negative (-3)'],
    [2.5, 'must be a whole number, got 2.5'],
    [10_000_001, '10000001 is absurdly large'],
    [Number.NaN, 'is .nan (not a number)'],
    [Number.NEGATIVE_INFINITY, 'is infinite'],
    ['3', 'got the string "3"'],
    [true, 'got the boolean true'],
  ])('refuses %s', (input, message) => {
    expect(checkInteger(input, 1, 10_000_000)).toMatchObject({ ok: false, message: expect.stringContaining(message) });
  });
});

describe('checkRate, checkBoolean, checkChoice, checkText', () => {
  it('rates are positive finite MB/s', () => {
    expect(checkRate(1000, 1_000_000)).toEqual({ ok: true, value: 1000 });
    expect(checkRate(0, 1_000_000)).toMatchObject({ ok: false, message: expect.stringContaining('must be larger than 0') });
    expect(checkRate(2_000_000, 1_000_000)).toMatchObject({ ok: false, message: expect.stringContaining('absurdly large') });
  });
  it('booleans are YAML 1.2 true/false only', () => {
    expect(checkBoolean(false)).toEqual({ ok: true, value: false });
    expect(checkBoolean('yes')).toMatchObject({ ok: false, message: 'expected true or false, got the string "yes"' });
  });
  it('choices suggest the near miss', () => {
    expect(checkChoice('dcoker-runc', ['docker-runc', 'crun'], 'container runtime')).toEqual({
      ok: false,
      message: 'unknown container runtime "dcoker-runc"; valid: docker-runc, crun',
      suggestion: 'docker-runc',
    });
    expect(checkChoice(5, ['a'], 'thing')).toMatchObject({ ok: false, message: 'expected a thing: one of a, got the number 5' });
  });
  it('text checks length and pattern', () => {
    expect(checkText('', /a/, 10, 'an a')).toMatchObject({ ok: false, message: 'is empty; expected an a' });
    expect(checkText('aaaaaaaaaaa', /a/, 10, 'an a')).toMatchObject({ ok: false, message: 'is 11 characters long; expected at most 10' });
    expect(checkText('b', /^a$/, 10, 'an a')).toMatchObject({ ok: false, message: '"b" is not valid; expected an a' });
  });
});

describe('describeInput and quote', () => {
  it('never prints control characters raw and cuts long strings', () => {
    expect(quote('a\u0000b')).toBe('"a\\u0000b"');
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(57)}..."`);
    expect(describeInput({})).toBe('a mapping');
    expect(describeInput(Number.NEGATIVE_INFINITY)).toBe('-.inf (minus infinity)');
  });
});

describe('checkPercent', () => {
  it('turns a percentage into a fraction, 0% and 100% included', () => {
    expect(checkPercent('10%')).toEqual({ ok: true, value: 0.1 });
    expect(checkPercent('0%')).toEqual({ ok: true, value: 0 });
    expect(checkPercent('100%')).toEqual({ ok: true, value: 1 });
    expect(checkPercent('2.5 %')).toEqual({ ok: true, value: 0.025 });
  });
  it('refuses more than 100%, negatives and words', () => {
    expect(checkPercent('150%')).toMatchObject({ ok: false, message: '"150%" is more than 100%; expected a percentage from 0% to 100%, e.g. "10%"' });
    expect(checkPercent('-5%')).toMatchObject({ ok: false, message: expect.stringContaining('is not a percentage') });
    expect(checkPercent('lots')).toMatchObject({ ok: false, message: expect.stringContaining('is not a percentage') });
  });
  it('suggests the "%" for a bare number', () => {
    expect(checkPercent(10)).toMatchObject({ ok: false, message: expect.stringContaining('has no "%"'), suggestion: '10%' });
  });
});
