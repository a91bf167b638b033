export { startAiEmulator, type AiEmulator, type AiEmulatorControl, type AiEmulatorOptions, type MalformedMode } from './server';
