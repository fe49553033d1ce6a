/** The English dictionary: every area's strings (each area typed against its Chinese twin: the same keys). */
import { account } from './account';
import { alerts } from './alerts';
import { admin } from './admin';
import { common } from './common';
import { hotline } from './hotline';
import { reports } from './reports';
import { supervision } from './supervision';
import { wall } from './wall';

export const en = { ...wall, ...common, ...account, ...admin, ...hotline, ...supervision, ...reports, ...alerts };
