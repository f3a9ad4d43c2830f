#!/usr/bin/env bash
echo "ok: a shell test without an XML file of its own"
