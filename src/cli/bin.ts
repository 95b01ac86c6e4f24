#!/usr/bin/env node
console.log('verify-deps');
