import { hello } from '@kycd/state-machines';
console.log(hello());
