import { mount } from 'svelte';
import './app.css';
import { connect } from './api.ts';
import App from './App.svelte';
import { AppState } from './state/app.svelte.ts';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks the #app element');

const app = new AppState(connect());
app.start();
mount(App, { target, props: { app } });
