// Configuration loading: see DiariumConfiguration.swift
